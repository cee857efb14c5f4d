package org.coopvm.guest.workload;

import org.agrona.concurrent.NanoClock;
import org.coopvm.guest.block.BlockDevices;
import org.coopvm.guest.event.EventHandlers;
import org.coopvm.guest.grant.GrantMapper;
import org.coopvm.guest.grant.GrantTable;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.rings.usage.UsagePageReader;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the guest kernel offers a {@link Workload}: task submission on its vCPUs, hypercalls,
 * event handlers, grants, memory, the console, the clock, shutdown, xenstore, the usage page and
 * each vCPU's runstate.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public interface GuestContext
{
    /** @return this domain's id. */
    int domid();

    /** @return how many vCPUs the domain has (ids 0..n-1). */
    int vcpuCount();

    /**
     * @param vcpu the vCPU id.
     * @param task the task.
     * @return its handle.
     */
    TaskHandle submit(int vcpu, Task task);

    /**
     * @param task the task, run on vCPU 0.
     * @return its handle.
     */
    default TaskHandle submit(final Task task)
    {
        return submit(0, task);
    }

    /** @return the hypercall stubs. */
    Hypercalls hypercalls();

    /** @return event handlers per port. */
    EventHandlers events();

    /** @return our grant table (granting our frames). */
    GrantTable grants();

    /** @return mapping pages other domains granted us. */
    GrantMapper grantMapper();

    /**
     * @return this guest's memory: allocate and free pages or byte ranges, register reclaimable
     *         caches, read the memory figures.
     */
    GuestMemory memory();

    /** @return the console. */
    Console console();

    /** @return the kernel's clock (timers use it). */
    NanoClock clock();

    /**
     * @return the host's run directory, when the guest knows it (process guests, and in-process
     *         guests whose host passed it); workloads use it for rendezvous files.
     */
    Optional<Path> runDir();

    /**
     * Shut the domain down: tells the host ({@code SCHEDOP_shutdown}), then stops the vCPUs.
     * Returns at once; the kernel stops after the current step.
     *
     * @param reason why.
     */
    void shutdown(ShutdownReason reason);

    /**
     * A vCPU's runstate (running, runnable, blocked, offline: ns in each, and steal), read from
     * its vcpu_info under the host's sequence lock and brought up to now. A workload sees how long
     * it waited for a physical CPU slot (steal) and can cooperate (yield earlier, ask for less).
     *
     * @param vcpu the vCPU id.
     * @return its runstate now; empty when no consistent copy could be read (the host kept
     *         updating it) or the host publishes none.
     * @throws IllegalArgumentException for a vCPU the domain does not have.
     */
    default Optional<VcpuRunstate> runstate(final int vcpu)
    {
        return Optional.empty();
    }

    /**
     * @return the kernel's xenstore client over the domain's ring (connected at boot), empty when
     *         the host gave the domain no xenstore ring.
     */
    default Optional<XenstoreClient> xenstore()
    {
        return Optional.empty();
    }

    /**
     * The guest's virtual disks ({@code disk = [...]} in the domain config), each an asynchronous
     * block device over a blkif ring to dom0. A disk is usable once
     * {@link org.coopvm.guest.block.BlockDevice#isConnected()}: the handshake with the backend
     * runs while the workload starts.
     *
     * @return the disks; none when the kernel has no {@code block} driver or no xenstore.
     */
    default BlockDevices blockDevices()
    {
        return BlockDevices.NONE;
    }

    /**
     * The guest's network interfaces ({@code vif = [...]} in the domain config), each a frame API
     * over netif rings to dom0's switch. A vif is usable once
     * {@link org.coopvm.guest.net.NetFrontend#isConnected()}.
     *
     * @return the vifs; none when the kernel has no {@code net} driver or no xenstore.
     */
    default java.util.List<org.coopvm.guest.net.NetFrontend> netDevices()
    {
        return java.util.List.of();
    }

    /**
     * The host's usage page (DESIGN section 7), mapped read-only: every domain's memory (current,
     * target, min, max, guest-reported free and working set) and the host's free pool, republished
     * by dom0 at a period. Each {@link UsagePageReader#read()} returns a consistent private
     * snapshot or a typed reason why not this time; it never blocks.
     *
     * @return the reader, empty when the host gave the domain no usage page.
     */
    default Optional<UsagePageReader> usage()
    {
        return Optional.empty();
    }
}
