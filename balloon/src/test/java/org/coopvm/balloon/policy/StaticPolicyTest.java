package org.coopvm.balloon.policy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.balloon.testing.Guests.decisionFor;
import static org.coopvm.balloon.testing.Guests.guest;
import static org.coopvm.balloon.testing.Guests.snapshot;

class StaticPolicyTest
{
    @Test
    void configuredMemoryUnlessATargetIsGivenByNameOrDomid()
    {
        final StaticPolicy policy = new StaticPolicy(Map.of("dom2", 300_000L, "3", 100_000L));
        final DomainView ballooned = guest(1, 400_000, 800_000).withMemory(250_000, 250_000);

        final List<BalloonDecision> decisions = policy.decide(snapshot(2_000_000, 500_000,
            ballooned, guest(2, 400_000, 800_000), guest(3, 400_000, 800_000)));

        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(400_000);
        assertThat(decisionFor(decisions, 1).reason()).isEqualTo(DecisionReason.CONFIGURED);
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(300_000);
        assertThat(decisionFor(decisions, 2).reason()).isEqualTo(DecisionReason.FIXED_TARGET);
        assertThat(decisionFor(decisions, 3).targetKib()).isEqualTo(100_000);
    }

    @Test
    void doesNotDependOnGuestStats()
    {
        assertThat(new StaticPolicy(Map.of()).growsOnGuestStats()).isFalse();
    }
}
