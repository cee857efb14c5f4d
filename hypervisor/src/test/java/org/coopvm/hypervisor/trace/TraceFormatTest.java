package org.coopvm.hypervisor.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TraceFormatTest
{
    private static final long T = epochNs("2026-11-27T14:01:02.123456789Z");

    @Test
    void hypercallLineIsStableAndGrepable()
    {
        final TraceRecord call = new TraceRecord.Hypercall(12, T, 3, 0, "event_channel_op", "send", 0, 5_300);
        assertThat(TraceFormat.text(call)).isEqualTo(
            "2026-11-27T14:01:02.123456789Z seq=12 dom=3 HYPERCALL vcpu=0 op=event_channel_op cmd=send result=0 latency_ns=5300");
    }

    @Test
    void lifecycleLinesShowTheReasonOrExitCodeThatGoesWithTheEvent()
    {
        assertThat(TraceFormat.text(new TraceRecord.Lifecycle(1, T, 0, LifecycleEvent.HOST_STARTED, 0, "")))
            .isEqualTo("2026-11-27T14:01:02.123456789Z seq=1 dom=0 LIFECYCLE event=host_started");
        assertThat(TraceFormat.text(new TraceRecord.Lifecycle(2, T, 4, LifecycleEvent.DOMAIN_SHUTDOWN, 0, "poweroff")))
            .endsWith(" dom=4 LIFECYCLE event=domain_shutdown reason=poweroff");
        assertThat(TraceFormat.text(new TraceRecord.Lifecycle(3, T, 4, LifecycleEvent.DOMAIN_CRASHED, 0, "64 malformed \"hypercalls\"")))
            .endsWith(" event=domain_crashed reason=\"64 malformed \\\"hypercalls\\\"\"");
        assertThat(TraceFormat.text(new TraceRecord.Lifecycle(4, T, 4, LifecycleEvent.GUEST_PROCESS_DIED, 137, "")))
            .endsWith(" event=guest_process_died exit_code=137");
    }

    @Test
    void faultLineQuotesTextWithSpacesAndEmptyValues()
    {
        assertThat(TraceFormat.text(new TraceRecord.Fault(9, T, 2, "grant ref 7 out of range", 3)))
            .endsWith(" dom=2 FAULT what=\"grant ref 7 out of range\" count=3");
        assertThat(TraceFormat.text(new TraceRecord.Hypercall(10, T, 2, 1, "xen_version", "", -38, 10)))
            .endsWith(" op=xen_version cmd=\"\" result=-38 latency_ns=10");
    }

    @Test
    void jsonLinesCarryTheSameFieldsEscaped()
    {
        assertThat(TraceFormat.json(new TraceRecord.Hypercall(12, T, 3, 0, "event_channel_op", "send", -22, 5_300))).isEqualTo(
            "{\"time\":\"2026-11-27T14:01:02.123456789Z\",\"ts_ns\":" + T + ",\"seq\":12,\"dom\":3,\"type\":\"hypercall\"," +
            "\"vcpu\":0,\"op\":\"event_channel_op\",\"cmd\":\"send\",\"result\":-22,\"latency_ns\":5300}");
        assertThat(TraceFormat.json(new TraceRecord.Lifecycle(2, T, 4, LifecycleEvent.DOMAIN_CRASHED, 0, "bad\nline\u0001")))
            .endsWith(",\"type\":\"lifecycle\",\"event\":\"domain_crashed\",\"code\":0,\"detail\":\"bad\\nline\\u0001\"}");
        assertThat(TraceFormat.json(new TraceRecord.Fault(9, T, 2, "x", 3)))
            .endsWith(",\"type\":\"fault\",\"what\":\"x\",\"count\":3}");
    }

    @Test
    void memoryLineAndJsonSayWhatTheCallAskedAndGot()
    {
        final TraceRecord memory = new TraceRecord.Memory(16, T, 3, "decrease_reservation", 512, 0, 512, 15_872);
        assertThat(TraceFormat.text(memory)).isEqualTo(
            "2026-11-27T14:01:02.123456789Z seq=16 dom=3 MEMORY cmd=decrease_reservation extents=512 order=0 result=512 pages=15872");
        assertThat(TraceFormat.json(memory)).endsWith(",\"type\":\"memory\",\"cmd\":\"decrease_reservation\",\"extents\":512," +
            "\"order\":0,\"result\":512,\"pages\":15872}");
    }

    @Test
    void timeKeepsAllNineDigitsEvenWhenTheyAreZero()
    {
        assertThat(TraceFormat.time(epochNs("2026-11-27T14:01:02Z"))).isEqualTo("2026-11-27T14:01:02.000000000Z");
        assertThat(TraceFormat.time(0)).isEqualTo("1970-01-01T00:00:00.000000000Z");
    }

    @Test
    void balloonDecisionAndReportLinesCarryTheirFigures()
    {
        final TraceRecord decision = new TraceRecord.BalloonDecision(17, T, 3, "mom", "HOST_PRESSURE", 65_536, 65_536, 62_260,
            62_260, true, "shrink 5%");
        final TraceRecord report = new TraceRecord.BalloonReport(18, T, 3, "reached", 62_260, 62_260, 65_536, 62_260, 412, "");

        assertThat(TraceFormat.text(decision)).isEqualTo("2026-11-27T14:01:02.123456789Z seq=17 dom=3 BALLOON_DECISION policy=mom " +
            "reason=HOST_PRESSURE current_kib=65536 previous_kib=65536 proposed_kib=62260 target_kib=62260 applied=true " +
            "detail=\"shrink 5%\"");
        assertThat(TraceFormat.text(report)).isEqualTo("2026-11-27T14:01:02.123456789Z seq=18 dom=3 BALLOON_REPORT outcome=reached " +
            "requested_kib=62260 effective_kib=62260 start_kib=65536 current_kib=62260 elapsed_ms=412 detail=\"\"");
        assertThat(TraceFormat.json(report)).endsWith(",\"type\":\"balloon_report\",\"outcome\":\"reached\"," +
            "\"requested_kib\":62260,\"effective_kib\":62260,\"start_kib\":65536,\"current_kib\":62260,\"elapsed_ms\":412," +
            "\"detail\":\"\"}");
        assertThat(TraceFormat.json(decision)).contains(",\"type\":\"balloon_decision\",\"policy\":\"mom\"",
            "\"applied\":true");
    }

    private static long epochNs(final String instant)
    {
        final Instant parsed = Instant.parse(instant);
        return parsed.getEpochSecond() * 1_000_000_000L + parsed.getNano();
    }
}
