package org.coopvm.hypervisor.trace;

/**
 * The kinds of record in a trace, with the code written in each record's {@code type} field
 * (never renumber) and the {@link TraceLevel} a tracer needs to write them. Immutable; any thread.
 */
public enum TraceRecordType
{
    /** Host and domain lifecycle: created, started, paused, shutdown, crashed, destroyed... */
    LIFECYCLE(1, TraceLevel.LIFECYCLE),
    /** One hypercall: domain, vCPU, op, cmd, result errno and latency. */
    HYPERCALL(2, TraceLevel.HYPERCALLS),
    /** A guest sent something malformed; written at LIFECYCLE level because it explains crashes. */
    FAULT(3, TraceLevel.LIFECYCLE),
    /** One reservation call (increase, decrease, populate): one record per call, never per page. */
    MEMORY(4, TraceLevel.LIFECYCLE),
    /** One decision of the balloon policy engine (repeats of the previous decision left out). */
    BALLOON_DECISION(5, TraceLevel.LIFECYCLE),
    /** How one change of a domain's {@code memory/target} ended (a convergence report). */
    BALLOON_REPORT(6, TraceLevel.LIFECYCLE),
    /**
     * CPU scheduler: a vCPU overran its slice, a domain was suspended for it or resumed, a domain's
     * weight, cap or slice or the host's slice or rate limit was changed.
     */
    SCHED(7, TraceLevel.LIFECYCLE);

    private final byte code;
    private final TraceLevel level;

    TraceRecordType(final int code, final TraceLevel level)
    {
        this.code = (byte)code;
        this.level = level;
    }

    /**
     * @return the code stored in the record's {@code type} field.
     */
    public byte code()
    {
        return code;
    }

    /**
     * @return the lowest tracer level that writes this kind of record.
     */
    public TraceLevel level()
    {
        return level;
    }

    /**
     * @param code a {@code type} field read from a queue.
     * @return the type with that code, or null if the code is unknown (a newer writer).
     */
    public static TraceRecordType fromCode(final byte code)
    {
        for (final TraceRecordType type : values())
        {
            if (type.code == code)
            {
                return type;
            }
        }
        return null;
    }

    /**
     * Parses a type as users write it ("lifecycle", "hypercall", "fault", "memory", "balloon_decision"
     * or "balloon-decision", "balloon_report" or "balloon-report", "sched"; any case).
     *
     * @param text the type's name.
     * @return the type.
     * @throws IllegalArgumentException naming the accepted values if {@code text} is none of them.
     */
    public static TraceRecordType parse(final String text)
    {
        for (final TraceRecordType type : values())
        {
            if (type.name().equalsIgnoreCase(text.trim().replace('-', '_')))
            {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown trace record type '" + text + "': expected lifecycle, hypercall, fault, memory, " +
            "balloon-decision, balloon-report or sched");
    }
}
