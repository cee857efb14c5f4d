package org.coopvm.guest;

import org.agrona.concurrent.NanoClock;
import org.coopvm.guest.block.BlockDevices;
import org.coopvm.guest.block.BlockGuestDriver;
import org.coopvm.guest.event.EventHandlers;
import org.coopvm.guest.grant.GrantMapper;
import org.coopvm.guest.grant.GrantTable;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.task.Vcpu;
import org.coopvm.guest.workload.Console;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.VcpuRunstate;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.rings.domain.Runstate;
import org.coopvm.rings.domain.VcpuInfoDescriptor;
import org.coopvm.rings.usage.UsagePageReader;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's {@link GuestContext}: delegates to the kernel's parts.
 *
 * <p>Thread safety: any thread.
 */
final class KernelContext implements GuestContext
{
    private final GuestKernel kernel;
    private final Vcpu[] vcpus;
    private final Hypercalls hypercalls;
    private final EventHandlers events;
    private final GrantTable grants;
    private final GrantMapper grantMapper;
    private final GuestMemory memory;
    private final KernelConsole console;
    private final NanoClock clock;
    private final Optional<Path> runDir;
    private final Runstate runstates;
    private final Optional<UsagePageReader> usage;
    private volatile XenstoreClient xenstore;

    KernelContext(
        final GuestKernel kernel,
        final Vcpu[] vcpus,
        final Hypercalls hypercalls,
        final EventHandlers events,
        final GrantTable grants,
        final GrantMapper grantMapper,
        final GuestMemory memory,
        final NanoClock clock,
        final Optional<Path> runDir,
        final Runstate runstates,
        final Optional<UsagePageReader> usage)
    {
        this.kernel = kernel;
        this.vcpus = vcpus;
        this.hypercalls = hypercalls;
        this.events = events;
        this.grants = grants;
        this.grantMapper = grantMapper;
        this.memory = memory;
        this.console = new KernelConsole(hypercalls);
        this.clock = clock;
        this.runDir = runDir;
        this.runstates = runstates;
        this.usage = usage;
    }

    @Override
    public int domid()
    {
        return kernel.domid();
    }

    @Override
    public int vcpuCount()
    {
        return vcpus.length;
    }

    @Override
    public TaskHandle submit(final int vcpu, final Task task)
    {
        if (vcpu < 0 || vcpu >= vcpus.length)
        {
            throw new IllegalArgumentException("vCPU " + vcpu + " outside 0.." + (vcpus.length - 1));
        }
        return vcpus[vcpu].submit(task);
    }

    @Override
    public Hypercalls hypercalls()
    {
        return hypercalls;
    }

    @Override
    public EventHandlers events()
    {
        return events;
    }

    @Override
    public GrantTable grants()
    {
        return grants;
    }

    @Override
    public GrantMapper grantMapper()
    {
        return grantMapper;
    }

    @Override
    public GuestMemory memory()
    {
        return memory;
    }

    @Override
    public Console console()
    {
        return console;
    }

    /** @return the kernel's console (the kernel connects its ring). */
    KernelConsole kernelConsole()
    {
        return console;
    }

    @Override
    public NanoClock clock()
    {
        return clock;
    }

    @Override
    public Optional<Path> runDir()
    {
        return runDir;
    }

    @Override
    public void shutdown(final ShutdownReason reason)
    {
        kernel.shutdown(reason);
    }

    @Override
    public Optional<XenstoreClient> xenstore()
    {
        return Optional.ofNullable(xenstore);
    }

    @Override
    public Optional<VcpuRunstate> runstate(final int vcpu)
    {
        if (vcpu < 0 || vcpu >= vcpus.length)
        {
            throw new IllegalArgumentException("vCPU " + vcpu + " outside 0.." + (vcpus.length - 1));
        }
        final Runstate.RunstateSnapshot snapshot = new Runstate.RunstateSnapshot();
        if (!runstates.read(vcpu, snapshot) || snapshot.state < 0 || snapshot.state >= VcpuInfoDescriptor.RUNSTATE_COUNT)
        {
            return Optional.empty();
        }
        final long nowNs = clock.nanoTime();
        final long[] times = snapshot.timesNs;
        if (snapshot.entryTimeNs != 0 && nowNs - snapshot.entryTimeNs > 0)
        {
            times[snapshot.state] += nowNs - snapshot.entryTimeNs;
        }
        return Optional.of(new VcpuRunstate(snapshot.state, times[VcpuInfoDescriptor.RUNSTATE_RUNNING],
            times[VcpuInfoDescriptor.RUNSTATE_RUNNABLE], times[VcpuInfoDescriptor.RUNSTATE_BLOCKED],
            times[VcpuInfoDescriptor.RUNSTATE_OFFLINE], nowNs));
    }

    /** {@inheritDoc} */
    @Override
    public BlockDevices blockDevices()
    {
        return kernel.driver(BlockGuestDriver.NAME).filter(BlockDevices.class::isInstance).map(BlockDevices.class::cast)
            .orElse(BlockDevices.NONE);
    }

    @Override
    public java.util.List<org.coopvm.guest.net.NetFrontend> netDevices()
    {
        return kernel.driver(org.coopvm.guest.net.NetGuestDriver.NAME).filter(org.coopvm.guest.net.NetService.class::isInstance)
            .map(driver -> ((org.coopvm.guest.net.NetService)driver).frontends()).orElse(java.util.List.of());
    }

    @Override
    public Optional<UsagePageReader> usage()
    {
        return usage;
    }

    void xenstore(final XenstoreClient client)
    {
        xenstore = client;
    }
}
