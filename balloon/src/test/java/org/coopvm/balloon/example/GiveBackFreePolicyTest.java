package org.coopvm.balloon.example;

import org.coopvm.balloon.engine.BalloonEngine;
import org.coopvm.balloon.engine.DecisionListener;
import org.coopvm.balloon.engine.DecisionRecord;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.balloon.testing.SimulatedHost;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's example runs in the engine as written, with its parameter and the engine's clamps. */
class GiveBackFreePolicyTest
{
    @Test
    void theReadmeExampleRunsInTheEngine()
    {
        final SimulatedHost host = new SimulatedHost(1_000_000);
        host.add(1, 400_000, 400_000, 100_000).floor(250_000);
        final PolicyCatalog catalog = PolicyCatalog.of(List.of(new GiveBackFreePolicyFactory()));
        final long[] now = {0};
        final BalloonEngine engine = new BalloonEngine(catalog, catalog.select("give-back-free", List.of("share=0.25")),
            host, host, DecisionListener.NONE, () -> now[0], 16);

        for (int round = 0; round < 20; round++)
        {
            engine.doWork();
            now[0] += 10_000_000_000L;
        }

        final List<DecisionRecord> records = engine.history(1);
        assertThat(records.getFirst().targetKib()).isEqualTo(400_000 - 75_000);
        assertThat(records.getFirst().reason()).isEqualTo(DecisionReason.POLICY_CHOICE);
        assertThat(records.getLast().reason()).isEqualTo(DecisionReason.BELOW_FLOOR);
        assertThat(host.guest(1).curKib()).isEqualTo(250_000);
    }
}
