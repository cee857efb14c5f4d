package org.coopvm.guest.coop;

import org.coopvm.guest.hypercall.HypercallAbortedException;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.mem.MemoryStats;
import org.coopvm.guest.stats.MemoryRequest;
import org.coopvm.guest.task.CpuLimit;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.RateLimitedLog;
import org.coopvm.guest.workload.VcpuRunstate;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.usage.UsageRead;

import java.util.Optional;

/**
 * The kernel's {@link CooperationContext}: the domain's usage page reader, its page allocator, the
 * {@link MemoryRequest} its stats publisher publishes, its vCPUs' runstates, the {@link CpuLimit}
 * its vCPUs honour, the slice hypercall, its console (rate-limited) and clock.
 *
 * <p>Thread safety: any thread.
 */
final class KernelCooperationContext implements CooperationContext
{
    private static final long KIB_PER_PAGE = Pages.PAGE_SIZE / 1024;

    private final GuestContext guest;
    private final UsagePageReader usage;
    private final MemoryRequest request;
    private final CpuLimit cpuLimit;
    private final RateLimitedLog log;

    KernelCooperationContext(final GuestContext guest, final UsagePageReader usage, final MemoryRequest request, final CpuLimit cpuLimit)
    {
        this.guest = guest;
        this.usage = usage;
        this.request = request;
        this.cpuLimit = cpuLimit;
        this.log = new RateLimitedLog(guest.console(), guest.clock(), "cooperation");
    }

    @Override
    public int domid()
    {
        return guest.domid();
    }

    @Override
    public UsageRead readUsage()
    {
        return usage.read();
    }

    @Override
    public MemoryStats memoryStats()
    {
        return guest.memory().stats();
    }

    @Override
    public long maxmemKib()
    {
        return guest.memory().maxFrames() * KIB_PER_PAGE;
    }

    @Override
    public long floorKib()
    {
        return guest.memory().reservationFloorPages() * KIB_PER_PAGE;
    }

    @Override
    public void requestMemory(final long kib)
    {
        request.set(kib, totalKib());
    }

    @Override
    public long outstandingRequestKib()
    {
        return request.outstandingKib(totalKib());
    }

    @Override
    public int vcpuCount()
    {
        return guest.vcpuCount();
    }

    @Override
    public Optional<VcpuRunstate> runstate(final int vcpu)
    {
        return guest.runstate(vcpu);
    }

    @Override
    public void limitCpu(final double share, final long periodMs)
    {
        cpuLimit.set(share, periodMs);
    }

    @Override
    public double cpuShare()
    {
        return cpuLimit.share();
    }

    @Override
    public long requestSliceMs(final int sliceMs)
    {
        return guest.hypercalls().schedSlice(sliceMs);
    }

    @Override
    public void log(final String line)
    {
        try
        {
            log.line(line);
        }
        catch (final HypercallAbortedException ignored)
        {
            // the host is gone or the kernel stops: nobody reads the console any more
        }
    }

    @Override
    public long nowNs()
    {
        return guest.clock().nanoTime();
    }

    private long totalKib()
    {
        final GuestMemory memory = guest.memory();
        return memory.stats().totalBytes() / 1024;
    }
}
