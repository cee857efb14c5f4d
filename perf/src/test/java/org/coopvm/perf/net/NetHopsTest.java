package org.coopvm.perf.net;

import org.coopvm.drivers.net.VifCounters;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NetHopsTest
{
    @Test
    void framesPerWakeUpOfEachHopComeFromBothGuestsFiguresAndBothVifsCounters()
    {
        final Map<String, String> sender = Map.of("sent-frames", "1000", "steps", "10", "vif-notifications", "4", "vif-tx-full", "7",
            "stalls", "1", "vcpu-running-ms", "900", "vcpu-runnable-ms", "5", "vcpu-blocked-ms", "95");
        final Map<VifCounters.Value, Long> senderVif = Map.of(VifCounters.Value.TX_FRAMES, 1000L, VifCounters.Value.TX_BATCHES, 20L,
            VifCounters.Value.FRONTEND_EVENTS, 4L, VifCounters.Value.AGENT_PARKS, 3L, VifCounters.Value.NOTIFICATIONS, 9L);
        final Map<VifCounters.Value, Long> receiverVif = Map.of(VifCounters.Value.RX_FRAMES, 990L, VifCounters.Value.RX_BATCHES, 10L,
            VifCounters.Value.RX_QUEUED, 30L, VifCounters.Value.DROPPED_RX_FULL, 10L);
        final Map<String, String> receiver = Map.of("vif-received", "990", "vif-events", "45", "vif-notifications", "2",
            "vcpu-running-ms", "400", "vcpu-runnable-ms", "1", "vcpu-blocked-ms", "599");

        final String line = NetHops.describe(sender, senderVif, receiverVif, receiver);

        assertThat(line).contains("sender vCPU 100.0 frames/step, 250.0 frames/notification", "7 sends refused", "1 window stalls",
            "50.0 frames/tx batch, 250.0 frames/frontend event, 3 parks, 9 notifications to the sender",
            "rx 99.0 frames/push", "30 frames queued", "10 dropped", "receiver vCPU 22.0 frames/event (45 events)",
            "running/runnable/blocked 400/1/599 ms", "running/runnable/blocked 900/5/95 ms");
    }

    @Test
    void aGuestThatPublishedNothingGivesZerosNotAnError()
    {
        assertThat(NetHops.describe(Map.of(), Map.of(), Map.of(), Map.of())).contains("sender vCPU 0.0 frames/step", "(0 events)");
    }
}
