package org.coopvm.examples.workload;

import org.coopvm.drivers.block.BlockBackend;
import org.coopvm.drivers.block.VbdListener;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.mem.SwapSpace;
import org.coopvm.guest.mem.SwappableAllocation;
import org.coopvm.guest.swap.SwapGuestDriver;
import org.coopvm.guest.swap.SwapService;
import org.coopvm.guest.swap.SwapStatus;
import org.coopvm.guest.task.StepResult;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.balloon.BalloonStats;
import org.coopvm.rings.balloon.BalloonStatsReader;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.mem.Pages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guest swap end to end in one JVM: an in-process guest whose swap disk is an image in tmpfs
 * served by dom0's real block backend. A shrinking {@code memory/target} makes the guest's balloon
 * driver push swappable pages out to the disk; reading them back (from vCPU 0, as a workload
 * does, and from another thread) finds every byte intact, and the swap-in, swap-out and
 * major-fault counters moved in the balloon stats dom0 reads. A swap disk that is missing,
 * read-only or too small is refused with a console line saying why, and the guest runs on
 * without swap.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GuestSwapInProcessTest
{
    private static final int DEADLINE_S = 60;

    private final Map<Integer, StringBuffer> consoles = new ConcurrentHashMap<>();
    private Path dir;
    private Hypervisor hypervisor;
    private BlockBackend backend;
    private XenstoredAccess dom0;

    @BeforeEach
    void startHost() throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "coop-swap-test") : Files.createTempDirectory("coop-swap-test");
        hypervisor = new Hypervisor(HypervisorConfig.defaults(null).withConsole((domain, bytes, offset, length) ->
            consoles.computeIfAbsent(domain.domid(), d -> new StringBuffer()).append(bytes.getStringWithoutLengthUtf8(offset, length))));
        backend = new BlockBackend(hypervisor, VbdListener.NONE);
        hypervisor.start();
        backend.start();
        dom0 = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { });
    }

    @AfterEach
    void stopHost() throws IOException
    {
        dom0.close();
        backend.close();
        hypervisor.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
    }

    @Test
    void pagesTheBalloonPushesOutComeBackIntactAndTheCountersMoveInTheBalloonStats() throws Exception
    {
        final Domain domain = create("swapper", 32);
        attach(domain, "xvdb", image("swap.img", 16 << 10), false);
        try (GuestKernel kernel = InProcessGuests.boot(hypervisor, domain))
        {
            assertThat(awaitSwap(kernel)).isEqualTo(SwapStatus.ON);
            assertThat(console(domain)).contains("swap: on xvdb, 16384 KiB (4096 pages)");
            final GuestMemory memory = kernel.context().memory();
            final SwappableAllocation data = memory.allocateSwappable(16 << 8).orElseThrow();
            fill(data);
            assertThat(memory.swap().swapOutPages()).as("nothing goes out while memory is plenty").isZero();

            dom0.write("/local/domain/" + domain.domid() + "/memory/target", Integer.toString(12 << 10));

            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> memory.onlineFrames() <= 12 << 8);
            final SwapSpace swap = memory.swap();
            assertThat(swap.swapOutPages()).as("the balloon took more than was free").isGreaterThan(0);
            assertThat(swap.swappedPages()).isPositive();
            final CompletableFuture<Integer> onVcpu0 = new CompletableFuture<>();
            kernel.context().submit(0, task ->
            {
                onVcpu0.complete(firstBadPage(data, 0, data.pages() / 2));
                return StepResult.DONE;
            });
            assertThat(onVcpu0.get(DEADLINE_S, TimeUnit.SECONDS)).as("first bad page read on vCPU 0").isEqualTo(-1);
            assertThat(firstBadPage(data, data.pages() / 2, data.pages())).as("first bad page read off the vCPUs").isEqualTo(-1);
            assertThat(swap.swapInPages()).isPositive();
            assertThat(swap.majorFaults()).isEqualTo(swap.swapInPages());
            assertThat(swap.ioErrors()).isZero();
            assertThat(memory.onlineFrames()).as("swap-ins made room by swapping out, the balloon kept its target").isLessThanOrEqualTo(12 << 8);
            final long maxKib = 32 << 10;
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> stats(domain, maxKib)
                .filter(s -> s.kib(StatTag.SWAP_IN) >= swap.swapInPages() * 4 && s.value(StatTag.MAJOR_FAULTS) >= swap.majorFaults())
                .isPresent());
            final BalloonStats published = stats(domain, maxKib).orElseThrow();
            assertThat(published.kib(StatTag.SWAP_OUT)).isPositive();
            assertThat(kernel.exit()).as("still running").isEmpty();
        }
    }

    @Test
    void aSwappableHogSqueezedBelowWhatItHoldsKeepsItsDataAndPaysInSwapTraffic() throws Exception
    {
        final Domain domain = hypervisor.createDomain(new DomainSpec("hog-swap", 1, 32 << 10, 32 << 10, 0, true, "hog",
            Map.of("profile", "step", "levels_mib", "24", "durations_s", "3600", "swappable", "true"), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        attach(domain, "xvdb", image("hog-swap.img", 16 << 10), false);
        try (GuestKernel kernel = InProcessGuests.boot(hypervisor, domain))
        {
            assertThat(awaitSwap(kernel)).isEqualTo(SwapStatus.ON);
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "24".equals(figure(domain, "held-mib")));

            dom0.write("/local/domain/" + domain.domid() + "/memory/target", Integer.toString(16 << 10));

            final SwapSpace swap = kernel.context().memory().swap();
            // the hog faults pages back in while the balloon still gives memory back: wait for both
            await().atMost(DEADLINE_S, TimeUnit.SECONDS)
                .until(() -> swap.majorFaults() > 256 && kernel.context().memory().onlineFrames() <= 16 << 8);
            assertThat(swap.swapOutPages()).isGreaterThanOrEqualTo(swap.swapInPages());
            assertThat(figure(domain, "touch-errors")).as("every touched page came back intact").isEqualTo("0");
            assertThat(figure(domain, "touch-us")).matches("[0-9]+");
            assertThat(console(domain)).contains("hog: steps [24] MiB", "swappable");
        }
    }

    @Test
    void aMissingReadOnlyOrTooSmallSwapDiskIsRefusedAndTheGuestRunsWithoutSwap() throws Exception
    {
        final Domain missing = create("missing", 16);
        dom0.write("/local/domain/" + missing.domid() + "/" + SwapGuestDriver.DEVICE_NODE, "xvdc");
        final Domain readOnly = create("read-only", 16);
        attach(readOnly, "xvdb", image("ro.img", 4 << 10), true);
        final Domain tiny = create("tiny", 16);
        attach(tiny, "xvdb", image("tiny.img", 512), false);
        try (GuestKernel a = InProcessGuests.boot(hypervisor, missing);
             GuestKernel b = InProcessGuests.boot(hypervisor, readOnly);
             GuestKernel c = InProcessGuests.boot(hypervisor, tiny))
        {
            assertThat(awaitSwap(a)).isEqualTo(SwapStatus.NO_DISK);
            assertThat(awaitSwap(b)).isEqualTo(SwapStatus.READ_ONLY);
            assertThat(awaitSwap(c)).isEqualTo(SwapStatus.TOO_SMALL);
            assertThat(console(missing)).contains("swap: no disk xvdc (the domain's swap names a disk it does not have): running without swap");
            assertThat(console(readOnly)).contains("swap: xvdb is read-only: running without swap");
            assertThat(console(tiny)).contains("swap: xvdb has 512 KiB, swap needs at least 1024 KiB: running without swap");
            for (final GuestKernel kernel : new GuestKernel[] {a, b, c})
            {
                final GuestMemory memory = kernel.context().memory();
                assertThat(memory.swap().isEnabled()).isFalse();
                final SwappableAllocation data = memory.allocateSwappable(64).orElseThrow();
                fill(data);
                assertThat(firstBadPage(data, 0, data.pages())).isEqualTo(-1);
                memory.free(data);
                assertThat(kernel.exit()).as("still running").isEmpty();
            }
        }
    }

    private String figure(final Domain domain, final String name)
    {
        return dom0.read("/local/domain/" + domain.domid() + "/data/hog/" + name).orElse("");
    }

    private Domain create(final String name, final int mib)
    {
        return hypervisor.createDomain(new DomainSpec(name, 1, mib << 10, mib << 10, 0, true, "idle", Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
    }

    /** The disk and the guest's {@code swap/device}, as the toolstack makes them for {@code swap = 'vdev'}. */
    private void attach(final Domain domain, final String vdev, final Path image, final boolean readOnly)
    {
        BlkifDevice.create(dom0, domain.domid(), VirtualDevice.parse(vdev).orElseThrow(), image.toString(), readOnly);
        dom0.write("/local/domain/" + domain.domid() + "/" + SwapGuestDriver.DEVICE_NODE, vdev);
    }

    private Path image(final String name, final int kib) throws IOException
    {
        final Path path = dir.resolve(name);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
        {
            file.setLength(kib * 1024L);
        }
        return path;
    }

    private static SwapStatus awaitSwap(final GuestKernel kernel)
    {
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> service(kernel).map(s -> s.status() != SwapStatus.WAITING).orElse(false));
        return service(kernel).orElseThrow().status();
    }

    private static Optional<SwapService> service(final GuestKernel kernel)
    {
        return kernel.driver(SwapGuestDriver.NAME).filter(SwapService.class::isInstance).map(SwapService.class::cast);
    }

    private static Optional<BalloonStats> stats(final Domain domain, final long maxKib)
    {
        return new BalloonStatsReader().wrap(domain.balloonStats()).read(System.nanoTime(), maxKib).accepted();
    }

    private static long stamp(final int page, final int word)
    {
        return 0x5AA9_0000_0000_0000L ^ (long)page << 16 ^ word;
    }

    /** Three words per page: its start, middle and end. */
    private static void fill(final SwappableAllocation data)
    {
        for (int page = 0; page < data.pages(); page++)
        {
            for (int word = 0; word < 3; word++)
            {
                data.putLong(offset(page, word), stamp(page, word));
            }
        }
    }

    /** @return the first page in {@code [from, to)} whose words are not what {@link #fill} wrote, -1 when none. */
    private static int firstBadPage(final SwappableAllocation data, final int from, final int to)
    {
        for (int page = from; page < to; page++)
        {
            for (int word = 0; word < 3; word++)
            {
                if (data.getLong(offset(page, word)) != stamp(page, word))
                {
                    return page;
                }
            }
        }
        return -1;
    }

    private static long offset(final int page, final int word)
    {
        return (long)page * Pages.PAGE_SIZE + word * (Pages.PAGE_SIZE / 2 - 4);
    }

    private String console(final Domain domain)
    {
        return String.valueOf(consoles.getOrDefault(domain.domid(), new StringBuffer()));
    }
}
