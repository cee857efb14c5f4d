package org.coopvm.guest.coop;

import org.coopvm.guest.mem.MemoryStats;
import org.coopvm.guest.stats.MemoryRequest;
import org.coopvm.guest.workload.VcpuRunstate;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.usage.UsageRead;
import org.coopvm.rings.usage.UsageSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link CooperationContext} for policy tests: memory figures set by the test; memory requests, CPU
 * limits, slice requests (answered as the host would, with a configured slice of 30 ms unless set)
 * and console lines recorded.
 */
final class RecordingContext implements CooperationContext
{
    final List<Long> requests = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    final List<Double> cpuLimits = new ArrayList<>();
    final List<Integer> sliceRequests = new ArrayList<>();
    private final int domid;
    private final long maxmemKib;
    private final MemoryRequest request;
    private MemoryStats stats;
    private UsageRead usage = new UsageRead.Unavailable(UsageRead.Reason.NOT_PUBLISHED, "none yet");
    private long nowNs;
    private double cpuShare = 1.0;
    private int configuredSliceMs = 30;
    private int guestSliceMs;

    RecordingContext(final int domid, final long maxmemKib)
    {
        this.domid = domid;
        this.maxmemKib = maxmemKib;
        this.request = new MemoryRequest(maxmemKib);
        memory(maxmemKib, maxmemKib, maxmemKib);
    }

    /** Set the guest's memory: total, free, available (KiB). */
    RecordingContext memory(final long totalKib, final long freeKib, final long availableKib)
    {
        stats = new MemoryStats(totalKib * 1024, freeKib * 1024, availableKib * 1024, (availableKib - freeKib) * 1024, 0, 0, 0);
        return this;
    }

    RecordingContext usage(final UsageSnapshot snapshot)
    {
        usage = new UsageRead.Snapshot(snapshot);
        return this;
    }

    RecordingContext unreadable()
    {
        usage = new UsageRead.Unavailable(UsageRead.Reason.TORN, "torn");
        return this;
    }

    void advanceNs(final long ns)
    {
        nowNs += ns;
    }

    @Override
    public int domid()
    {
        return domid;
    }

    @Override
    public UsageRead readUsage()
    {
        return usage;
    }

    @Override
    public MemoryStats memoryStats()
    {
        return stats;
    }

    @Override
    public long maxmemKib()
    {
        return maxmemKib;
    }

    @Override
    public long floorKib()
    {
        return 0;
    }

    @Override
    public void requestMemory(final long kib)
    {
        requests.add(kib);
        request.set(kib, stats.totalBytes() / 1024);
    }

    @Override
    public long outstandingRequestKib()
    {
        return request.outstandingKib(stats.totalBytes() / 1024);
    }

    /** The slice the host would say the toolstack configured (30 ms unless set). */
    RecordingContext configuredSliceMs(final int ms)
    {
        configuredSliceMs = ms;
        return this;
    }

    @Override
    public int vcpuCount()
    {
        return 1;
    }

    @Override
    public Optional<VcpuRunstate> runstate(final int vcpu)
    {
        return Optional.empty();
    }

    @Override
    public void limitCpu(final double share, final long periodMs)
    {
        cpuLimits.add(share);
        cpuShare = Math.min(1.0, share);
    }

    @Override
    public double cpuShare()
    {
        return cpuShare;
    }

    /** As the host answers SCHEDOP_coop_slice. */
    @Override
    public long requestSliceMs(final int sliceMs)
    {
        sliceRequests.add(sliceMs);
        if (sliceMs < 0 || sliceMs > configuredSliceMs)
        {
            return -Errno.EINVAL;
        }
        guestSliceMs = sliceMs;
        return guestSliceMs == 0 ? configuredSliceMs : guestSliceMs;
    }

    @Override
    public void log(final String line)
    {
        lines.add(line);
    }

    @Override
    public long nowNs()
    {
        return nowNs;
    }
}
