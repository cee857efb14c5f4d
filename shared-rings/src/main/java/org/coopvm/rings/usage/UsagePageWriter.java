package org.coopvm.rings.usage;

import org.coopvm.rings.mem.Seqlock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.coopvm.rings.usage.UsagePageDescriptor.*;

/**
 * dom0's side of the usage page: publishes the host part and one entry per domain under the
 * sequence lock (UsagePageDescriptor). Domains beyond the capacity are left out and the page
 * says so ({@link UsagePageDescriptor#FLAG_TRUNCATED}); entries no longer in use are zeroed.
 *
 * <p>Thread safety: one writer thread (the hypervisor's usage publisher).
 */
public final class UsagePageWriter
{
    private MemorySegment payload;
    private int capacity;
    private int lastCount;

    /**
     * @param usagePayload the USAGE region's payload (dom0's writable mapping).
     * @return this writer, with as many entries as fit; nothing is written until the first {@link #publish}.
     */
    public UsagePageWriter wrap(final MemorySegment usagePayload)
    {
        return wrap(usagePayload, capacityOf(usagePayload.byteSize()));
    }

    /**
     * @param usagePayload the USAGE region's payload (dom0's writable mapping).
     * @param entries      entries the page offers, at least 1 and at most what fits.
     * @return this writer; nothing is written until the first {@link #publish}.
     */
    public UsagePageWriter wrap(final MemorySegment usagePayload, final int entries)
    {
        final int fits = capacityOf(usagePayload.byteSize());
        if (entries < 1 || entries > fits)
        {
            throw new IllegalArgumentException("usage payload of " + usagePayload.byteSize() + " bytes holds 1.." + fits +
                " entries, not " + entries);
        }
        this.payload = usagePayload;
        this.capacity = entries;
        this.lastCount = fits;
        return this;
    }

    /** @return entries the page holds. */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Publish the page.
     *
     * @param nowNs    publish time, the host clock (CLOCK_MONOTONIC ns).
     * @param periodMs the publish period.
     * @param flags    {@code UsagePageDescriptor.FLAG_*} bits to set ({@link UsagePageDescriptor#FLAG_TRUNCATED} is added when needed).
     * @param host     the host part.
     * @param domains  one entry per domain, in domid order.
     * @return the new (even) sequence.
     */
    public int publish(final long nowNs, final int periodMs, final int flags, final HostUsage host, final List<DomainUsage> domains)
    {
        final int count = Math.min(domains.size(), capacity);
        final int odd = Seqlock.beginWrite(payload, SEQUENCE_OFFSET);
        payload.set(ValueLayout.JAVA_INT, ENTRY_LENGTH_FIELD_OFFSET, UsageEntryDescriptor.ENTRY_LENGTH);
        payload.set(ValueLayout.JAVA_INT, CAPACITY_OFFSET, capacity);
        payload.set(ValueLayout.JAVA_LONG, PUBLISH_TIME_OFFSET, nowNs);
        payload.set(ValueLayout.JAVA_INT, PERIOD_OFFSET, periodMs);
        payload.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, domains.size() > capacity ? flags | FLAG_TRUNCATED : flags);
        payload.set(ValueLayout.JAVA_INT, COUNT_OFFSET, count);
        payload.set(ValueLayout.JAVA_LONG, POOL_TOTAL_OFFSET, host.poolTotalKib());
        payload.set(ValueLayout.JAVA_LONG, POOL_FREE_OFFSET, host.poolFreeKib());
        payload.set(ValueLayout.JAVA_INT, CPU_SLOTS_OFFSET, host.cpuSlots());
        payload.set(ValueLayout.JAVA_INT, CPU_LOAD_OFFSET, host.cpuLoadPermille());
        for (int i = 0; i < count; i++)
        {
            writeEntry(entryOffset(i), domains.get(i));
        }
        if (lastCount > count)
        {
            payload.asSlice(entryOffset(count), (long)(lastCount - count) * UsageEntryDescriptor.ENTRY_LENGTH).fill((byte)0);
        }
        lastCount = count;
        return Seqlock.endWrite(payload, SEQUENCE_OFFSET, odd);
    }

    private void writeEntry(final long base, final DomainUsage usage)
    {
        putInt(base, UsageEntryDescriptor.DOMID_OFFSET, usage.domid());
        putInt(base, UsageEntryDescriptor.FLAGS_OFFSET, usage.flags());
        putLong(base, UsageEntryDescriptor.CURRENT_KIB_OFFSET, usage.currentKib());
        putLong(base, UsageEntryDescriptor.TARGET_KIB_OFFSET, usage.targetKib());
        putLong(base, UsageEntryDescriptor.MIN_KIB_OFFSET, usage.minKib());
        putLong(base, UsageEntryDescriptor.MAX_KIB_OFFSET, usage.maxKib());
        putLong(base, UsageEntryDescriptor.GUEST_FREE_KIB_OFFSET, usage.guestFreeKib());
        putLong(base, UsageEntryDescriptor.GUEST_WORKING_SET_KIB_OFFSET, usage.guestWorkingSetKib());
        putInt(base, UsageEntryDescriptor.STATS_AGE_OFFSET, usage.statsAgeMs());
        putInt(base, UsageEntryDescriptor.STATS_STATE_OFFSET, usage.statsState().code());
        final DomainCpu cpu = usage.cpu();
        putInt(base, UsageEntryDescriptor.CPU_WEIGHT_OFFSET, cpu.weight());
        putInt(base, UsageEntryDescriptor.CPU_CAP_OFFSET, cpu.capPercent());
        putLong(base, UsageEntryDescriptor.CPU_TIME_OFFSET, cpu.cpuTimeNs());
        putLong(base, UsageEntryDescriptor.STEAL_TIME_OFFSET, cpu.stealNs());
        putInt(base, UsageEntryDescriptor.CPU_USAGE_OFFSET, cpu.usagePermille());
        putInt(base, UsageEntryDescriptor.RUNNABLE_VCPUS_OFFSET, cpu.runnableVcpus());
        putInt(base, UsageEntryDescriptor.CREDIT_STATE_OFFSET, cpu.creditState());
    }

    private void putInt(final long base, final int offset, final int value)
    {
        payload.set(ValueLayout.JAVA_INT, base + offset, value);
    }

    private void putLong(final long base, final int offset, final long value)
    {
        payload.set(ValueLayout.JAVA_LONG, base + offset, value);
    }
}
