package org.coopvm.hypervisor.trace;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which records a {@link TraceReader} returns. Immutable; any thread.
 *
 * @param domid   the only domain to return, or {@link #ANY_DOMAIN}.
 * @param types   the kinds to return (not empty).
 * @param fromNs  the earliest timestamp returned, epoch ns, inclusive.
 * @param untilNs the first timestamp no longer returned, epoch ns, exclusive.
 */
public record TraceFilter(int domid, Set<TraceRecordType> types, long fromNs, long untilNs)
{
    /** {@link #domid} value that matches every domain. */
    public static final int ANY_DOMAIN = -1;

    /** Every record. */
    public static final TraceFilter ALL =
        new TraceFilter(ANY_DOMAIN, EnumSet.allOf(TraceRecordType.class), Long.MIN_VALUE, Long.MAX_VALUE);

    /**
     * @throws IllegalArgumentException if {@code types} is empty or the time range is reversed.
     */
    public TraceFilter
    {
        if (types.isEmpty())
        {
            throw new IllegalArgumentException("a trace filter needs at least one record type");
        }
        if (fromNs > untilNs)
        {
            throw new IllegalArgumentException("trace filter time range ends (" + untilNs + ") before it starts (" + fromNs + ")");
        }
        types = Set.copyOf(types);
    }

    /**
     * @param domid the only domain to return.
     * @return this filter restricted to {@code domid}.
     */
    public TraceFilter withDomain(final int domid)
    {
        return new TraceFilter(domid, types, fromNs, untilNs);
    }

    /**
     * @param type the only kind to return.
     * @return this filter restricted to {@code type}.
     */
    public TraceFilter withType(final TraceRecordType type)
    {
        return new TraceFilter(domid, EnumSet.of(type), fromNs, untilNs);
    }

    /**
     * @param fromNs  the earliest timestamp returned, epoch ns, inclusive.
     * @param untilNs the first timestamp no longer returned, epoch ns, exclusive.
     * @return this filter restricted to that time range.
     */
    public TraceFilter withTimeRange(final long fromNs, final long untilNs)
    {
        return new TraceFilter(domid, types, fromNs, untilNs);
    }

    /**
     * @param type        a record's kind.
     * @param domid       its domain.
     * @param timestampNs its timestamp.
     * @return whether the record passes.
     */
    public boolean matches(final TraceRecordType type, final int domid, final long timestampNs)
    {
        return types.contains(type) &&
            (this.domid == ANY_DOMAIN || this.domid == domid) &&
            timestampNs >= fromNs && timestampNs < untilNs;
    }
}
