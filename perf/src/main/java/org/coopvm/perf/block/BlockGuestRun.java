package org.coopvm.perf.block;

import org.coopvm.drivers.block.BlockBackend;
import org.coopvm.drivers.block.VbdCounters;
import org.coopvm.drivers.block.VbdListener;
import org.coopvm.guest.BootRegions;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One guest with one disk for the block benchmark: a real {@link Hypervisor} in this JVM with a
 * file-backed run directory, dom0's {@link BlockBackend}, one domain whose memory is a file on
 * tmpfs and whose disk {@code xvda} is the image, and the real guest kernel booted in this JVM on
 * its own mappings of the domain's files ({@link BootRegions#attach}, as a process guest boots),
 * with its {@code block} driver. I/O runs on the guest's vCPU 0 ({@link GuestIo}).
 *
 * <p>Thread safety: one thread drives it.
 */
final class BlockGuestRun implements AutoCloseable
{
    private static final long MEMORY_KIB = 64 * 1024;
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);

    private final Hypervisor hypervisor;
    private final BlockBackend backend;
    private final Domain domain;
    private final GuestKernel kernel;
    private final BlockDevice disk;
    private final Map<Integer, BlockBuffer[]> buffers = new HashMap<>();

    private BlockGuestRun(final Hypervisor hypervisor, final BlockBackend backend, final Domain domain, final GuestKernel kernel,
        final BlockDevice disk)
    {
        this.hypervisor = hypervisor;
        this.backend = backend;
        this.domain = domain;
        this.kernel = kernel;
        this.disk = disk;
    }

    /**
     * @param runDir an empty run directory (tmpfs, 0700).
     * @param image  the image file.
     * @return the running guest, its disk connected.
     */
    static BlockGuestRun start(final Path runDir, final Path image) throws InterruptedException
    {
        final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(runDir).withPoolPages(2 * MEMORY_KIB / 4));
        final BlockBackend backend = new BlockBackend(hypervisor, VbdListener.NONE);
        try
        {
            hypervisor.start();
            backend.start();
            final Domain domain = hypervisor.createDomain(new DomainSpec("block-bench", 1, MEMORY_KIB, MEMORY_KIB, 0, false,
                BlockBenchWorkload.NAME, Map.of(), 4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES,
                DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
            try (XenstoredAccess dom0 = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { }))
            {
                BlkifDevice.create(dom0, domain.domid(), VirtualDevice.parse("xvda").orElseThrow(), image.toString(), false);
            }
            final GuestKernel kernel = GuestKernel.boot(BootRegions.attach(runDir, domain.domid()), KernelConfig.DEFAULT);
            return new BlockGuestRun(hypervisor, backend, domain, kernel, awaitDisk(kernel));
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            backend.close();
            hypervisor.close();
            throw ex;
        }
    }

    /** @return entries of the disk's ring. */
    int ringEntries()
    {
        return disk.ringEntries();
    }

    /** @return most pages one ring request carries (11, or more with indirect requests). */
    int maxSegmentsPerRequest()
    {
        return disk.maxSegmentsPerRequest();
    }

    /**
     * @param ioCase     what to do.
     * @param blocks     blocks of the case's size in the image.
     * @param qd         requests in flight.
     * @param durationNs how long.
     * @param seed       the offsets' seed.
     * @return what was done.
     */
    IoCase.Result run(final IoCase ioCase, final long blocks, final int qd, final long durationNs, final long seed)
    {
        try
        {
            final BlockBuffer[] slots = buffers.containsKey(ioCase.blockBytes()) ? buffers.get(ioCase.blockBytes()) :
                GuestIo.allocate(kernel.context(), disk, ioCase.blockBytes(), qd).get(30, TimeUnit.SECONDS);
            buffers.put(ioCase.blockBytes(), slots);
            return GuestIo.run(kernel.context(), disk, ioCase, blocks, slots, durationNs, seed)
                .get(TimeUnit.NANOSECONDS.toSeconds(durationNs) + 60, TimeUnit.SECONDS);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException(ioCase.name() + " through the guest did not finish: " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    /** @return the backend's errors on the disk so far. */
    long backendErrors()
    {
        return counters().errors();
    }

    /** @return dom0's counters of the disk (live). */
    VbdCounters counters()
    {
        return backend.counters(domain.domid(), VirtualDevice.parse("xvda").orElseThrow().number()).orElseThrow();
    }

    /** Stop the guest kernel, the backend, destroy the domain, close the hypervisor (the run directory stays for the caller). */
    @Override
    public void close()
    {
        try
        {
            kernel.close();
        }
        finally
        {
            backend.close();
            hypervisor.destroyDomain(domain.domid());
            hypervisor.close();
        }
    }

    private static BlockDevice awaitDisk(final GuestKernel kernel) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + CONNECT_WAIT.toNanos();
        while (System.nanoTime() - deadlineNs < 0)
        {
            final BlockDevice disk = kernel.context().blockDevices().byName("xvda").orElse(null);
            if (disk != null && disk.isConnected())
            {
                return disk;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("the guest's disk did not connect within " + CONNECT_WAIT);
    }
}
