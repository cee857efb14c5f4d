package org.coopvm.rings.usage;

import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.mem.Seqlock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.coopvm.rings.usage.UsagePageDescriptor.*;

/**
 * A guest's reader of the usage page: copies the header and the entries in use into private
 * memory under the sequence lock, then checks and parses the copy. It never waits for dom0: after
 * {@link #MAX_READ_ATTEMPTS} inconsistent copies it answers {@link UsageRead.Reason#TORN}.
 *
 * <p>Thread safety: any thread (each read works on its own copy).
 */
public final class UsagePageReader
{
    /** Attempts at a consistent copy before a read answers TORN. */
    public static final int MAX_READ_ATTEMPTS = 64;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private final MemorySegment payload;
    private final int fits;

    /**
     * @param usagePayload the USAGE region's payload; a read-only segment is enough.
     */
    public UsagePageReader(final MemorySegment usagePayload)
    {
        this.payload = usagePayload;
        this.fits = capacityOf(usagePayload.byteSize());
    }

    /** @return a consistent snapshot, or why there is none this time. */
    public UsageRead read()
    {
        try
        {
            return readMapped();
        }
        catch (final IllegalStateException ex)
        {
            return new UsageRead.Unavailable(UsageRead.Reason.UNMAPPED, "the usage page is no longer mapped");
        }
    }

    private UsageRead readMapped()
    {
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++)
        {
            final int begin = Seqlock.readBegin(payload, SEQUENCE_OFFSET);
            if (begin == 0)
            {
                return new UsageRead.Unavailable(UsageRead.Reason.NOT_PUBLISHED, "dom0 has not published the usage page yet");
            }
            if (!Seqlock.isWriting(begin))
            {
                final MemorySegment copy = copy();
                if (Seqlock.readValid(payload, SEQUENCE_OFFSET, begin))
                {
                    return parse(begin, copy);
                }
            }
            Seqlock.backOff(attempt);
        }
        return new UsageRead.Unavailable(UsageRead.Reason.TORN, "no consistent copy in " + MAX_READ_ATTEMPTS + " attempts");
    }

    /** Copy the header, then as many entries as its count says (bounded by what the mapping holds). */
    private MemorySegment copy()
    {
        final int count = Math.max(0, Math.min(payload.get(ValueLayout.JAVA_INT, COUNT_OFFSET), fits));
        final MemorySegment copy = MemorySegment.ofArray(new byte[(int)payloadLength(count)]);
        MemorySegment.copy(payload, 0, copy, 0, copy.byteSize());
        return copy;
    }

    private UsageRead parse(final int sequence, final MemorySegment copy)
    {
        final int entryLength = copy.get(INT, ENTRY_LENGTH_FIELD_OFFSET);
        final int capacity = copy.get(INT, CAPACITY_OFFSET);
        final int count = copy.get(INT, COUNT_OFFSET);
        if (entryLength != UsageEntryDescriptor.ENTRY_LENGTH || capacity < 0 || capacity > fits || count < 0 || count > capacity ||
            payloadLength(count) != copy.byteSize())
        {
            return new UsageRead.Unavailable(UsageRead.Reason.MALFORMED, "entry length " + entryLength + ", capacity " + capacity +
                ", count " + count + " do not fit a mapping of " + fits + " entries");
        }
        final List<DomainUsage> domains = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final DomainUsage usage = entry(copy, entryOffset(i));
            if (usage == null)
            {
                return new UsageRead.Unavailable(UsageRead.Reason.MALFORMED, "entry " + i + " has an unknown stats state");
            }
            domains.add(usage);
        }
        final HostUsage host = new HostUsage(copy.get(LONG, POOL_TOTAL_OFFSET), copy.get(LONG, POOL_FREE_OFFSET),
            copy.get(INT, CPU_SLOTS_OFFSET), copy.get(INT, CPU_LOAD_OFFSET));
        return new UsageRead.Snapshot(new UsageSnapshot(sequence, copy.get(LONG, PUBLISH_TIME_OFFSET), copy.get(INT, PERIOD_OFFSET),
            copy.get(INT, FLAGS_OFFSET), host, domains));
    }

    private static DomainUsage entry(final MemorySegment copy, final long base)
    {
        final StatsFreshness state = StatsFreshness.fromCode(copy.get(INT, base + UsageEntryDescriptor.STATS_STATE_OFFSET));
        if (state == null)
        {
            return null;
        }
        final DomainCpu cpu = new DomainCpu(
            copy.get(INT, base + UsageEntryDescriptor.CPU_WEIGHT_OFFSET),
            copy.get(INT, base + UsageEntryDescriptor.CPU_CAP_OFFSET),
            copy.get(LONG, base + UsageEntryDescriptor.CPU_TIME_OFFSET),
            copy.get(LONG, base + UsageEntryDescriptor.STEAL_TIME_OFFSET),
            copy.get(INT, base + UsageEntryDescriptor.CPU_USAGE_OFFSET),
            copy.get(INT, base + UsageEntryDescriptor.RUNNABLE_VCPUS_OFFSET),
            copy.get(INT, base + UsageEntryDescriptor.CREDIT_STATE_OFFSET));
        return new DomainUsage(
            copy.get(INT, base + UsageEntryDescriptor.DOMID_OFFSET),
            copy.get(INT, base + UsageEntryDescriptor.FLAGS_OFFSET),
            copy.get(LONG, base + UsageEntryDescriptor.CURRENT_KIB_OFFSET),
            copy.get(LONG, base + UsageEntryDescriptor.TARGET_KIB_OFFSET),
            copy.get(LONG, base + UsageEntryDescriptor.MIN_KIB_OFFSET),
            copy.get(LONG, base + UsageEntryDescriptor.MAX_KIB_OFFSET),
            copy.get(LONG, base + UsageEntryDescriptor.GUEST_FREE_KIB_OFFSET),
            copy.get(LONG, base + UsageEntryDescriptor.GUEST_WORKING_SET_KIB_OFFSET),
            copy.get(INT, base + UsageEntryDescriptor.STATS_AGE_OFFSET),
            state,
            cpu);
    }
}
