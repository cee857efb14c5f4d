package org.coopvm.balloon.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyCatalogTest
{
    private final PolicyCatalog catalog = PolicyCatalog.load();

    @Test
    void serviceLoaderFindsTheFiveShippedPolicies()
    {
        assertThat(catalog.names()).containsExactly("static", "proportional-share", "mom", "selfballoon", "cooperative");
    }

    @Test
    void defaultsAreTheReferenceSystemsConstants()
    {
        final PolicySelection mom = catalog.select("mom", List.of());

        assertThat(mom.periodMs()).isEqualTo(10_000);
        assertThat(mom.parameters().values()).containsExactly(
            Map.entry("pressure_threshold", 0.20), Map.entry("pressure_critical", 0.05),
            Map.entry("min_guest_free_percent", 0.20), Map.entry("max_balloon_change_percent", 0.05),
            Map.entry("min_balloon_change_percent", 0.0025), Map.entry("sample_history", 10L));
        assertThat(catalog.select("proportional-share", List.of()).parameters().get(ProportionalSharePolicyFactory.TAU))
            .isEqualTo(0.75);
        assertThat(catalog.select("selfballoon", List.of()).periodMs()).isEqualTo(5_000);
        assertThat(catalog.select("selfballoon", List.of()).parameters().get(SelfBalloonPolicyFactory.DOWN_HYSTERESIS))
            .isEqualTo(8L);
    }

    @Test
    void valuesAndTheCommonPeriodAreParsed()
    {
        final PolicySelection selection = catalog.select("mom", List.of("pressure_threshold=0.3", " period_ms = 2500"));

        assertThat(selection.parameters().get(MomPolicyFactory.PRESSURE_THRESHOLD)).isEqualTo(0.3);
        assertThat(selection.periodMs()).isEqualTo(2500);
        assertThat(selection.toString()).startsWith("mom period_ms=2500 pressure_threshold=0.3 ");
    }

    @Test
    void unknownPolicyIsNamedWithTheKnownOnes()
    {
        assertThatThrownBy(() -> catalog.select("esx", List.of()))
            .isInstanceOf(PolicyConfigException.class)
            .hasMessageContaining("unknown balloon policy 'esx'")
            .hasMessageContaining("proportional-share")
            .satisfies(ex -> assertThat(((PolicyConfigException)ex).key()).isEqualTo("policy"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mom | presure_threshold=0.1 | presure_threshold | unknown parameter 'presure_threshold' for policy mom",
        "proportional-share | tau=1.5 | tau | tau: 1.5 outside [0.0, 0.99]",
        "proportional-share | tau=lots | tau | tau: 'lots' is not a number in [0.0, 0.99]",
        "proportional-share | tau=NaN | tau | tau: NaN outside [0.0, 0.99]",
        "selfballoon | downhysteresis=0 | downhysteresis | downhysteresis: 0 outside [1, 1000]",
        "selfballoon | reserve_kib=8M | reserve_kib | reserve_kib: '8M' is not a whole number in [0, 1073741824]",
        "mom | pressure_critical=0.3 | pressure_critical | pressure_critical 0.3 must be below pressure_threshold 0.2",
        "mom | min_balloon_change_percent=0.1 | min_balloon_change_percent | must be at most max_balloon_change_percent",
        "cooperative | period_ms=5 | period_ms | period_ms: 5 outside [10, 3600000]",
        "static | targets_kib=web | targets_kib | entry 'web' is not a new name:kib",
        "static | targets_kib=web:-4 | targets_kib | web -4 outside [0, 1099511627776]",
        "static | targets_kib=web:4,web:8 | targets_kib | entry 'web:8' is not a new name:kib",
        "mom | tau | tau | 'tau' is not key=value",
    })
    void badParametersAreErrorsNamingTheKeyAndRange(final String policy, final String argument, final String key,
        final String message)
    {
        assertThatThrownBy(() -> catalog.select(policy, List.of(argument)))
            .isInstanceOf(PolicyConfigException.class)
            .hasMessageContaining(message)
            .satisfies(ex -> assertThat(((PolicyConfigException)ex).key()).isEqualTo(key));
    }

    @Test
    void aKeyGivenTwiceIsAnError()
    {
        assertThatThrownBy(() -> catalog.select("proportional-share", List.of("tau=0.5", "tau=0.6")))
            .isInstanceOf(PolicyConfigException.class)
            .hasMessage("tau given twice");
    }

    @Test
    void staticTargetsByNameOrDomid()
    {
        final PolicySelection selection = catalog.select("static", List.of("targets_kib=web:262144, 2:131072"));

        assertThat(selection.parameters().get(StaticPolicyFactory.TARGETS_KIB))
            .containsExactly(Map.entry("web", 262144L), Map.entry("2", 131072L));
    }

    @Test
    void twoFactoriesWithOneNameAreRejected()
    {
        assertThatThrownBy(() -> PolicyCatalog.of(List.of(new MomPolicyFactory(), new MomPolicyFactory())))
            .hasMessageContaining("two balloon policies are named mom");
    }
}
