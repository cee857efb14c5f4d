package org.coopvm.perf.balloon;

import org.coopvm.guest.BootRegions;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.hypercall.ConsoleSink;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionHeaderDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One guest for the balloon benchmark: a real {@link Hypervisor} in this JVM with a file-backed
 * run directory, one domain whose memory is a sparse file on tmpfs, and the real guest kernel
 * booted in this JVM on its own mappings of the domain's files ({@link BootRegions#attach}, as a
 * process guest boots), with its balloon driver. A balloon move is timed from dom0's write of
 * {@code memory/target} to the reservation call after which the domain holds the target: the
 * whole real path (xenstore watch, guest driver, {@code memory_op} over the hypercall ring,
 * punch). Resident memory is measured as the hypervisor measures it ({@code fstat} of the file).
 *
 * <p>Thread safety: one thread drives it; the reservation listener runs on the dispatcher's thread.
 */
final class BalloonGuestRun implements AutoCloseable
{
    static final String WORKLOAD = BalloonBenchWorkload.NAME;
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final long KIB_PER_MIB = 1024;

    /** A move under way: the page count awaited and when the domain got there. */
    private record Awaiting(long pages, CountDownLatch reached, AtomicLong reachedAtNs)
    {
    }

    /**
     * One timed move.
     *
     * @param seconds      from the target write to the reservation call that reached it.
     * @param calls        reservation hypercalls made on the way.
     */
    record Move(double seconds, long calls)
    {
    }

    private final Hypervisor hypervisor;
    private final Domain domain;
    private final GuestKernel kernel;
    private final StringBuffer console;
    private final AtomicReference<Awaiting> awaiting = new AtomicReference<>();
    private final AtomicLong reservationCalls = new AtomicLong();

    private BalloonGuestRun(final Hypervisor hypervisor, final Domain domain, final GuestKernel kernel, final StringBuffer console)
    {
        this.hypervisor = hypervisor;
        this.domain = domain;
        this.kernel = kernel;
        this.console = console;
    }

    /**
     * @param runDir    an empty run directory (tmpfs, 0700).
     * @param memoryMib the domain's memory and maxmem.
     * @return the running guest.
     */
    static BalloonGuestRun start(final Path runDir, final int memoryMib)
    {
        final StringBuffer console = new StringBuffer();
        final ConsoleSink sink = (dom, bytes, offset, length) -> console.append(bytes.getStringWithoutLengthUtf8(offset, length));
        final long memoryKib = memoryMib * KIB_PER_MIB;
        final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(runDir).withConsole(sink)
            .withPoolPages(memoryKib / 4));
        Domain domain = null;
        try
        {
            hypervisor.start();
            domain = hypervisor.createDomain(new DomainSpec("balloon-bench", 1, memoryKib, memoryKib, 0, false, WORKLOAD, Map.of(),
                1, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
            final GuestKernel kernel = GuestKernel.boot(BootRegions.attach(runDir, domain.domid()), KernelConfig.DEFAULT);
            final BalloonGuestRun run = new BalloonGuestRun(hypervisor, domain, kernel, console);
            hypervisor.addLifecycleListener(run.listener());
            return run;
        }
        catch (final RuntimeException ex)
        {
            hypervisor.close();
            throw ex;
        }
    }

    /** @return pages the domain holds now ({@code tot_pages}). */
    long populatedPages()
    {
        return domain.memory().physmap().populatedPages();
    }

    /** @return bytes of the memory file the machine holds ({@code fstat} blocks, as {@code coop list} reports). */
    long residentBytes()
    {
        return domain.memory().residentBytes();
    }

    /** @return the system calls the hypervisor made to give pages back (one per run of adjacent frames). */
    long discardCalls()
    {
        return domain.memory().discardCalls();
    }

    /**
     * Write every populated page through dom0's mapping of the memory file, so each is resident:
     * the state of a guest that has used all its memory. The guest's allocator zeroes what it
     * hands out, so this changes nothing the guest sees.
     */
    void touchPopulated()
    {
        final MemorySegment memory = domain.regions().memory().segment();
        final long pages = domain.memory().physmap().capacityPages();
        for (long frame = 0; frame < pages; frame++)
        {
            if (domain.memory().physmap().isPopulated(frame))
            {
                memory.set(ValueLayout.JAVA_LONG_UNALIGNED, RegionHeaderDescriptor.PAYLOAD_OFFSET + frame * Pages.PAGE_SIZE, frame + 1);
            }
        }
    }

    /**
     * Write {@code memory/target} and wait until the domain holds exactly that many pages.
     *
     * @param targetPages the target, in pages.
     * @param timeout     how long it may take.
     * @return the time it took and the reservation calls made.
     * @throws IllegalStateException when the domain did not get there in time.
     */
    Move moveTo(final long targetPages, final Duration timeout)
    {
        final Awaiting wait = new Awaiting(targetPages, new CountDownLatch(1), new AtomicLong());
        awaiting.set(wait);
        final long callsBefore = reservationCalls.get();
        final long startNs = System.nanoTime();
        hypervisor.xenstored().write(targetPath(), Long.toString(targetPages * Pages.PAGE_SIZE / 1024).getBytes(StandardCharsets.US_ASCII));
        checkReached(wait);
        if (!await(wait.reached(), timeout))
        {
            throw new IllegalStateException("the guest did not reach " + targetPages + " pages within " + timeout + ": it holds " +
                populatedPages() + "; console: " + consoleTail());
        }
        awaiting.set(null);
        return new Move((wait.reachedAtNs().get() - startNs) / 1e9, reservationCalls.get() - callsBefore);
    }

    /** Stop the guest kernel, destroy the domain, close the hypervisor (the run directory stays for the caller). */
    @Override
    public void close()
    {
        try
        {
            kernel.close();
            awaitTermination();
        }
        finally
        {
            try
            {
                hypervisor.destroyDomain(domain.domid());
            }
            finally
            {
                hypervisor.close();
            }
        }
    }

    private String targetPath()
    {
        return "/local/domain/" + domain.domid() + "/memory/target";
    }

    private DomainLifecycleListener listener()
    {
        return new DomainLifecycleListener()
        {
            @Override
            public void onReservation(final Domain changed, final int cmd, final long nrExtents, final int order, final long result)
            {
                if (changed.domid() == domain.domid())
                {
                    reservationCalls.incrementAndGet();
                    final Awaiting wait = awaiting.get();
                    if (wait != null)
                    {
                        checkReached(wait);
                    }
                }
            }
        };
    }

    private void checkReached(final Awaiting wait)
    {
        if (wait.reached().getCount() > 0 && populatedPages() == wait.pages() && wait.reachedAtNs().compareAndSet(0, System.nanoTime()))
        {
            wait.reached().countDown();
        }
    }

    private void awaitTermination()
    {
        try
        {
            if (!kernel.awaitTermination(STOP_WAIT))
            {
                throw new IllegalStateException("the guest kernel did not stop within " + STOP_WAIT);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the guest kernel", ex);
        }
    }

    private static boolean await(final CountDownLatch latch, final Duration timeout)
    {
        try
        {
            return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the balloon", ex);
        }
    }

    private String consoleTail()
    {
        final String text = console.toString().strip();
        return text.substring(Math.max(0, text.length() - 2000));
    }
}
