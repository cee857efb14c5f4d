package org.coopvm.examples.workload;

import org.agrona.concurrent.NanoClock;
import org.coopvm.guest.block.BlockDevices;
import org.coopvm.guest.event.EventHandlers;
import org.coopvm.guest.grant.GrantMapper;
import org.coopvm.guest.grant.GrantTable;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.net.NetFrontend;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.workload.Console;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.VcpuRunstate;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.rings.usage.UsagePageReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The kernel's {@link GuestContext} as one workload of a {@link SequenceWorkload} sees it: every
 * service is the kernel's, except that its shutdowns go to the sequence (whose answer to a
 * poweroff is to start the next workload) instead of the host. After the first, a poweroff of the
 * same workload is ignored (it must not start a workload twice or skip one); other reasons still
 * go to the sequence.
 *
 * <p>Thread safety: any thread, as the kernel's context.
 */
final class SequenceContext implements GuestContext
{
    private final GuestContext kernel;
    private final Consumer<ShutdownReason> shutdown;
    private final AtomicBoolean shutDown = new AtomicBoolean();

    /**
     * @param kernel   the kernel's context.
     * @param shutdown what to do with this workload's shutdowns.
     */
    SequenceContext(final GuestContext kernel, final Consumer<ShutdownReason> shutdown)
    {
        this.kernel = kernel;
        this.shutdown = shutdown;
    }

    @Override
    public void shutdown(final ShutdownReason reason)
    {
        if (shutDown.compareAndSet(false, true) || reason != ShutdownReason.POWEROFF)
        {
            shutdown.accept(reason);
        }
    }

    @Override
    public int domid()
    {
        return kernel.domid();
    }

    @Override
    public int vcpuCount()
    {
        return kernel.vcpuCount();
    }

    @Override
    public TaskHandle submit(final int vcpu, final Task task)
    {
        return kernel.submit(vcpu, task);
    }

    @Override
    public Hypercalls hypercalls()
    {
        return kernel.hypercalls();
    }

    @Override
    public EventHandlers events()
    {
        return kernel.events();
    }

    @Override
    public GrantTable grants()
    {
        return kernel.grants();
    }

    @Override
    public GrantMapper grantMapper()
    {
        return kernel.grantMapper();
    }

    @Override
    public GuestMemory memory()
    {
        return kernel.memory();
    }

    @Override
    public Console console()
    {
        return kernel.console();
    }

    @Override
    public NanoClock clock()
    {
        return kernel.clock();
    }

    @Override
    public Optional<Path> runDir()
    {
        return kernel.runDir();
    }

    @Override
    public Optional<VcpuRunstate> runstate(final int vcpu)
    {
        return kernel.runstate(vcpu);
    }

    @Override
    public Optional<XenstoreClient> xenstore()
    {
        return kernel.xenstore();
    }

    @Override
    public BlockDevices blockDevices()
    {
        return kernel.blockDevices();
    }

    @Override
    public List<NetFrontend> netDevices()
    {
        return kernel.netDevices();
    }

    @Override
    public Optional<UsagePageReader> usage()
    {
        return kernel.usage();
    }
}
