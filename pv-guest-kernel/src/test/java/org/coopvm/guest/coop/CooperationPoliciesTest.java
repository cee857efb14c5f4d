package org.coopvm.guest.coop;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog finds the shipped policies on the class path, configures it with a period, and
 * refuses what a domain config could get wrong, naming the key (what {@code coop create} shows).
 */
class CooperationPoliciesTest
{
    @Test
    void theShippedPolicyIsFoundAndTakesItsParametersAndAPeriod()
    {
        final CooperationPolicies.Selection selection = CooperationPolicies.select(MemoryCooperativePolicy.NAME,
            Map.of("low_water", "0.05", "period_ms", "250"));

        assertThat(CooperationPolicies.names()).contains(MemoryCooperativePolicy.NAME, PoliteBatchPolicy.NAME, LatencyPolicy.NAME);
        assertThat(selection.policy()).isInstanceOf(MemoryCooperativePolicy.class);
        assertThat(selection.periodMs()).isEqualTo(250);
        assertThat(selection.parameters()).extracting(CooperationArgs.Parameter::key)
            .containsExactly("period_ms", "low_water", "goal", "high_water", "pool_reserve", "min_request_kib");
        assertThat(selection.describe()).contains("memory-cooperative").contains("low_water=0.05");
        assertThat(CooperationPolicies.select(MemoryCooperativePolicy.NAME, Map.of()).periodMs())
            .isEqualTo(CooperationPolicies.DEFAULT_PERIOD_MS);
    }

    @Test
    void eachSelectionIsAFreshInstance()
    {
        assertThat(CooperationPolicies.select(MemoryCooperativePolicy.NAME, Map.of()).policy())
            .isNotSameAs(CooperationPolicies.select(MemoryCooperativePolicy.NAME, Map.of()).policy());
    }

    @Test
    void anUnknownPolicyNamesTheKnownOnes()
    {
        assertThatThrownBy(() -> CooperationPolicies.select("greedy", Map.of()))
            .isInstanceOfSatisfying(CooperationConfigException.class, ex -> assertThat(ex.key()).isEqualTo(CooperationConfigException.POLICY))
            .hasMessageContaining("unknown cooperation policy 'greedy'")
            .hasMessageContaining("known: ")
            .hasMessageContaining(MemoryCooperativePolicy.NAME);
    }

    @Test
    void anUnknownParameterOrABadValueIsRefusedNamingTheKey()
    {
        assertThatThrownBy(() -> CooperationPolicies.select(MemoryCooperativePolicy.NAME, Map.of("low_watermark", "0.1")))
            .isInstanceOfSatisfying(CooperationConfigException.class, ex -> assertThat(ex.key()).isEqualTo("low_watermark"))
            .hasMessageContaining("has no parameter 'low_watermark'")
            .hasMessageContaining("low_water, goal");
        assertThatThrownBy(() -> CooperationPolicies.select(MemoryCooperativePolicy.NAME, Map.of("high_water", "lots")))
            .hasMessageContaining("high_water = lots is not a number in 0.02..1.0");
        assertThatThrownBy(() -> CooperationPolicies.select(MemoryCooperativePolicy.NAME, Map.of("period_ms", "5")))
            .isInstanceOfSatisfying(CooperationConfigException.class, ex -> assertThat(ex.key()).isEqualTo("period_ms"))
            .hasMessageContaining("10..60000");
    }
}
