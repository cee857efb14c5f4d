package org.coopvm.hypervisor.trace;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * Turns trace records into one line of text or JSON each. Text lines are stable and grep-able:
 * <pre>
 * 2026-11-27T14:01:02.123456789Z seq=12 dom=3 HYPERCALL vcpu=0 op=event_channel_op cmd=send result=0 latency_ns=5300
 * 2026-11-27T14:01:02.200000000Z seq=13 dom=3 LIFECYCLE event=domain_shutdown reason=poweroff
 * 2026-11-27T14:01:02.300000000Z seq=14 dom=4 LIFECYCLE event=guest_process_died exit_code=137
 * 2026-11-27T14:01:02.400000000Z seq=15 dom=4 FAULT what="hypercall op 99 unknown" count=1
 * 2026-11-27T14:01:02.500000000Z seq=16 dom=3 MEMORY cmd=decrease_reservation extents=512 order=0 result=512 pages=15872
 * 2026-11-27T14:01:03.000000000Z seq=17 dom=3 BALLOON_DECISION policy=mom reason=HOST_PRESSURE current_kib=65536 previous_kib=65536 proposed_kib=62260 target_kib=62260 applied=true detail="..."
 * 2026-11-27T14:01:03.400000000Z seq=18 dom=3 BALLOON_REPORT outcome=reached requested_kib=62260 effective_kib=62260 start_kib=65536 current_kib=62260 elapsed_ms=412 detail="..."
 * 2026-11-27T14:01:04.000000000Z seq=19 dom=2 SCHED vcpu=0 event=suspended ns=1000000000 count=3 detail="vcpu 0 kept its slot ..."
 * </pre>
 * Text values containing spaces, quotes or '=' are double-quoted with JSON escapes. JSON lines
 * carry the same fields plus {@code ts_ns}. Stateless; any thread.
 */
public final class TraceFormat
{
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
        .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
        .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 9, 9, true)
        .appendLiteral('Z')
        .toFormatter()
        .withZone(ZoneOffset.UTC);

    private TraceFormat()
    {
    }

    /**
     * @param record a record.
     * @return its text line, without a line separator.
     */
    public static String text(final TraceRecord record)
    {
        final StringBuilder line = new StringBuilder(128)
            .append(time(record.timestampNs()))
            .append(" seq=").append(record.seq())
            .append(" dom=").append(record.domid())
            .append(' ').append(record.type().name());
        switch (record)
        {
            case TraceRecord.Lifecycle lifecycle -> lifecycleText(line, lifecycle);
            case TraceRecord.Hypercall call -> line
                .append(" vcpu=").append(call.vcpu())
                .append(" op=").append(textValue(call.op()))
                .append(" cmd=").append(textValue(call.cmd()))
                .append(" result=").append(call.result())
                .append(" latency_ns=").append(call.latencyNs());
            case TraceRecord.Fault fault -> line
                .append(" what=").append(textValue(fault.what()))
                .append(" count=").append(fault.count());
            case TraceRecord.Memory memory -> line
                .append(" cmd=").append(textValue(memory.cmd()))
                .append(" extents=").append(memory.extents())
                .append(" order=").append(memory.order())
                .append(" result=").append(memory.result())
                .append(" pages=").append(memory.pages());
            case TraceRecord.BalloonDecision decision -> line
                .append(" policy=").append(textValue(decision.policy()))
                .append(" reason=").append(textValue(decision.reason()))
                .append(" current_kib=").append(decision.currentKib())
                .append(" previous_kib=").append(decision.previousKib())
                .append(" proposed_kib=").append(decision.proposedKib())
                .append(" target_kib=").append(decision.targetKib())
                .append(" applied=").append(decision.applied())
                .append(" detail=").append(textValue(decision.detail()));
            case TraceRecord.BalloonReport report -> line
                .append(" outcome=").append(textValue(report.outcome()))
                .append(" requested_kib=").append(report.requestedKib())
                .append(" effective_kib=").append(report.effectiveKib())
                .append(" start_kib=").append(report.startKib())
                .append(" current_kib=").append(report.currentKib())
                .append(" elapsed_ms=").append(report.elapsedMs())
                .append(" detail=").append(textValue(report.detail()));
            case TraceRecord.Sched sched -> line
                .append(" vcpu=").append(sched.vcpu())
                .append(" event=").append(textValue(sched.event()))
                .append(" ns=").append(sched.ns())
                .append(" count=").append(sched.count())
                .append(" detail=").append(textValue(sched.detail()));
        }
        return line.toString();
    }

    /**
     * @param record a record.
     * @return its JSON object on one line.
     */
    public static String json(final TraceRecord record)
    {
        final StringBuilder line = new StringBuilder(160)
            .append("{\"time\":\"").append(time(record.timestampNs())).append('"')
            .append(",\"ts_ns\":").append(record.timestampNs())
            .append(",\"seq\":").append(record.seq())
            .append(",\"dom\":").append(record.domid())
            .append(",\"type\":\"").append(record.type().name().toLowerCase(java.util.Locale.ROOT)).append('"');
        switch (record)
        {
            case TraceRecord.Lifecycle lifecycle -> line
                .append(",\"event\":\"").append(lifecycle.event().label()).append('"')
                .append(",\"code\":").append(lifecycle.code())
                .append(",\"detail\":").append(quoted(lifecycle.detail()));
            case TraceRecord.Hypercall call -> line
                .append(",\"vcpu\":").append(call.vcpu())
                .append(",\"op\":").append(quoted(call.op()))
                .append(",\"cmd\":").append(quoted(call.cmd()))
                .append(",\"result\":").append(call.result())
                .append(",\"latency_ns\":").append(call.latencyNs());
            case TraceRecord.Fault fault -> line
                .append(",\"what\":").append(quoted(fault.what()))
                .append(",\"count\":").append(fault.count());
            case TraceRecord.Memory memory -> line
                .append(",\"cmd\":").append(quoted(memory.cmd()))
                .append(",\"extents\":").append(memory.extents())
                .append(",\"order\":").append(memory.order())
                .append(",\"result\":").append(memory.result())
                .append(",\"pages\":").append(memory.pages());
            case TraceRecord.BalloonDecision decision -> line
                .append(",\"policy\":").append(quoted(decision.policy()))
                .append(",\"reason\":").append(quoted(decision.reason()))
                .append(",\"current_kib\":").append(decision.currentKib())
                .append(",\"previous_kib\":").append(decision.previousKib())
                .append(",\"proposed_kib\":").append(decision.proposedKib())
                .append(",\"target_kib\":").append(decision.targetKib())
                .append(",\"applied\":").append(decision.applied())
                .append(",\"detail\":").append(quoted(decision.detail()));
            case TraceRecord.BalloonReport report -> line
                .append(",\"outcome\":").append(quoted(report.outcome()))
                .append(",\"requested_kib\":").append(report.requestedKib())
                .append(",\"effective_kib\":").append(report.effectiveKib())
                .append(",\"start_kib\":").append(report.startKib())
                .append(",\"current_kib\":").append(report.currentKib())
                .append(",\"elapsed_ms\":").append(report.elapsedMs())
                .append(",\"detail\":").append(quoted(report.detail()));
            case TraceRecord.Sched sched -> line
                .append(",\"vcpu\":").append(sched.vcpu())
                .append(",\"event\":").append(quoted(sched.event()))
                .append(",\"ns\":").append(sched.ns())
                .append(",\"count\":").append(sched.count())
                .append(",\"detail\":").append(quoted(sched.detail()));
        }
        return line.append('}').toString();
    }

    /**
     * @param epochNs epoch nanoseconds.
     * @return the instant in UTC with nine fraction digits, e.g. {@code 2026-11-27T14:01:02.123456789Z}.
     */
    public static String time(final long epochNs)
    {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L)));
    }

    private static void lifecycleText(final StringBuilder line, final TraceRecord.Lifecycle lifecycle)
    {
        line.append(" event=").append(lifecycle.event().label());
        switch (lifecycle.event())
        {
            case DOMAIN_SHUTDOWN, DOMAIN_CRASHED -> line.append(" reason=").append(textValue(lifecycle.detail()));
            case GUEST_PROCESS_DIED -> line.append(" exit_code=").append(lifecycle.code());
            default -> appendNonEmpty(line, lifecycle);
        }
    }

    private static void appendNonEmpty(final StringBuilder line, final TraceRecord.Lifecycle lifecycle)
    {
        if (lifecycle.code() != 0)
        {
            line.append(" code=").append(lifecycle.code());
        }
        if (!lifecycle.detail().isEmpty())
        {
            line.append(" detail=").append(textValue(lifecycle.detail()));
        }
    }

    private static String textValue(final String value)
    {
        if (value.isEmpty())
        {
            return "\"\"";
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f)
            {
                return quoted(value);
            }
        }
        return value;
    }

    private static String quoted(final String value)
    {
        final StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> escapeControl(out, c);
            }
        }
        return out.append('"').toString();
    }

    private static void escapeControl(final StringBuilder out, final char c)
    {
        if (c < 0x20 || c == 0x7f)
        {
            out.append(String.format("\\u%04x", (int)c));
        }
        else
        {
            out.append(c);
        }
    }
}
