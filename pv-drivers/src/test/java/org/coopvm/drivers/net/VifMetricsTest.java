package org.coopvm.drivers.net;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every vif counter reaches the metrics registry under its own meter, tagged with the domain and
 * the vif, follows the counter, and goes when the backend lets go of the vif.
 */
class VifMetricsTest
{
    @Test
    void everyCounterIsOneMeterTaggedWithDomainAndVifUntilTheVifGoes()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final VifMetrics metrics = new VifMetrics(registry);
        final VifCounters counters = new VifCounters();
        metrics.added(7, 1, counters);
        metrics.added(8, 0, new VifCounters());

        assertThat(VifMetrics.bound()).as("each counted value has a meter").containsExactlyInAnyOrder(VifCounters.Value.values());
        counters.add(VifCounters.Value.TX_FRAMES, 3);
        counters.add(VifCounters.Value.RX_BYTES, 1514);
        counters.add(VifCounters.Value.DROPPED_RX_FULL, 2);
        counters.add(VifCounters.Value.HOSTILE_DISCONNECTS, 1);
        assertThat(registry.find("coop.net.frames").tags("domid", "7", "vif", "1", "direction", "tx").functionCounter().count())
            .isEqualTo(3);
        assertThat(registry.find("coop.net.bytes").tags("domid", "7", "vif", "1", "direction", "rx").functionCounter().count())
            .isEqualTo(1514);
        assertThat(registry.find("coop.net.drops").tags("domid", "7", "vif", "1", "reason", "rx_full").functionCounter().count())
            .isEqualTo(2);
        assertThat(registry.find("coop.net.hostile.disconnects").tags("domid", "7", "vif", "1").functionCounter().count()).isEqualTo(1);
        assertThat(registry.find("coop.net.frames").tags("domid", "8").functionCounters()).as("another vif's own meters")
            .allSatisfy(meter -> assertThat(meter.count()).isZero()).hasSize(2);

        metrics.removed(7, 1);

        assertThat(registry.find("coop.net.frames").tag("domid", "7").meters()).isEmpty();
        assertThat(registry.getMeters()).hasSize(VifCounters.Value.values().length);
    }
}
