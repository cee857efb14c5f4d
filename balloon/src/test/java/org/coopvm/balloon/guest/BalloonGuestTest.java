package org.coopvm.balloon.guest;

import org.coopvm.balloon.testing.KernelHost;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.mem.AllocationResult;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.balloon.BalloonStats;
import org.coopvm.rings.balloon.BalloonStatsReader;
import org.coopvm.rings.balloon.StatTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The balloon driver end to end in real guests: in-process guest kernels on a real hypervisor
 * whose memory is a file on {@code /dev/shm}; dom0 writes {@code memory/target} (and the
 * toolstack's {@code memory/minmem}, {@code memory/deflate-on-pressure}) and the hypervisor's books,
 * the measured file and the guest's allocator follow.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BalloonGuestTest
{
    private static final long DEADLINE_S = 30;
    private static final long MIB = 1024 * 1024;
    private static final int PAGES_PER_MIB = 256;

    private final KernelHost host = new KernelHost();

    @AfterEach
    void close()
    {
        host.close();
    }

    @Test
    void aLowerTargetReturnsTheMemoryToTheMachineAndAHigherOneBringsItBackForTheGuestToUse()
    {
        assumeThat(host.runDir().startsWith("/dev/shm")).as("needs tmpfs at /dev/shm").isTrue();
        final Domain domain = host.boot(KernelHost.spec("shrink", 128, 128, 0));
        final GuestMemory memory = started(domain);
        touchEveryFreePage(memory);
        final long residentBefore = domain.memory().residentBytes();
        assertThat(residentBefore).as("the guest touched all its memory").isGreaterThan(127 * MIB);

        host.write(domain, "memory/target", "65536");

        awaitPopulated(domain, 64 * PAGES_PER_MIB);
        assertThat(host.hypervisor().memoryPool().pagesOf(domain.domid())).as("the pool's books").isEqualTo(64 * PAGES_PER_MIB);
        assertThat(residentBefore - domain.memory().residentBytes()).as("measured from the memory file")
            .isBetween(63 * MIB, 65 * MIB);
        assertThat(memory.onlineFrames()).as("the guest's total is its reservation").isEqualTo(64 * PAGES_PER_MIB);
        assertThat(memory.allocatePages(80 * PAGES_PER_MIB)).as("ballooned memory is gone from the guest")
            .isInstanceOf(AllocationResult.OutOfMemory.class);
        awaitConsole(domain, "balloon: target 65536 KiB accepted, holding 131072 KiB");
        awaitConsole(domain, "balloon: reached 65536 KiB after ");

        host.write(domain, "memory/target", "131072");

        awaitPopulated(domain, 128 * PAGES_PER_MIB);
        assertThat(memory.allocatePages(100 * PAGES_PER_MIB)).as("the guest uses what came back")
            .isInstanceOf(AllocationResult.Allocated.class);
        awaitConsole(domain, "balloon: reached 131072 KiB after ");
        assertThat(status(domain).framesInflated()).isEqualTo(64 * PAGES_PER_MIB);
        assertThat(status(domain).framesDeflated()).isEqualTo(64 * PAGES_PER_MIB);
    }

    @Test
    void framesAboveBootMemoryComeInWhenTheTargetRisesTowardsMaxmem()
    {
        final Domain domain = host.boot(KernelHost.spec("grow", 64, 96, 0));
        final GuestMemory memory = started(domain);
        assertThat(memory.allocatePages(80 * PAGES_PER_MIB)).isInstanceOf(AllocationResult.OutOfMemory.class);

        host.write(domain, "memory/target", Long.toString(96 * 1024));

        awaitPopulated(domain, 96 * PAGES_PER_MIB);
        assertThat(memory.allocatePages(80 * PAGES_PER_MIB)).isInstanceOf(AllocationResult.Allocated.class);
        awaitConsole(domain, "balloon: reached 98304 KiB after ");
    }

    @Test
    void aTargetBelowMinmemStopsAtMinmemAndTheStatsReportThatFloorAndTheReservation()
    {
        final Domain domain = host.boot(KernelHost.spec("floor", 128, 128, 96));
        started(domain);

        host.write(domain, "memory/target", "32768");

        awaitPopulated(domain, 96 * PAGES_PER_MIB);
        awaitConsole(domain, "balloon: target 32768 KiB accepted, holding 131072 KiB; below the floor, going to 98304 KiB");
        awaitConsole(domain, "balloon: holding the floor 98304 KiB (target 32768 KiB is below it)");
        assertThat(status(domain).outcome()).isEqualTo(BalloonOutcome.BELOW_FLOOR);
        final BalloonStatsReader reader = new BalloonStatsReader().wrap(domain.balloonStats());
        final BalloonStats stats = await().atMost(DEADLINE_S, TimeUnit.SECONDS)
            .until(() -> reader.read(System.nanoTime(), 128 * 1024).accepted(),
                read -> read.isPresent() && read.get().kib(StatTag.TOTAL) == 96 * 1024)
            .orElseThrow();
        assertThat(stats.floorKib()).as("the floor the balloon enforces").isEqualTo(96 * 1024);
    }

    @Test
    void textThatIsNotAKibCountIsIgnoredAndLoggedAndTheNextTargetIsFollowed()
    {
        final Domain domain = host.boot(KernelHost.spec("garbage", 64, 64, 0));
        started(domain);

        host.write(domain, "memory/target", "lots");
        awaitConsole(domain, "balloon: ignored memory/target \"lots\": not a number");
        host.write(domain, "memory/target", "-4096");
        awaitConsole(domain, "balloon: ignored memory/target \"-4096\": negative");

        assertThat(domain.memory().physmap().populatedPages()).isEqualTo(64 * PAGES_PER_MIB);
        assertThat(status(domain).targetsRejected()).isEqualTo(2);
        host.write(domain, "memory/target", "49152");
        awaitPopulated(domain, 48 * PAGES_PER_MIB);
    }

    @Test
    void underNegotiatedDeflateOnPressureAGuestOutOfMemoryTakesPagesBackAndWithoutItDoesNot()
    {
        final Domain deflating = host.boot(KernelHost.spec("deflating", 64, 64, 0).withDeflateOnPressure(true));
        final Domain plain = host.boot(KernelHost.spec("plain", 64, 64, 0));
        final GuestMemory deflatingMemory = started(deflating);
        final GuestMemory plainMemory = started(plain);
        host.write(deflating, "memory/target", "32768");
        host.write(plain, "memory/target", "32768");
        awaitPopulated(deflating, 32 * PAGES_PER_MIB);
        awaitPopulated(plain, 32 * PAGES_PER_MIB);

        final int wanted = deflatingMemory.freeFrames() + PAGES_PER_MIB;
        final Allocation got = await().atMost(DEADLINE_S, TimeUnit.SECONDS)
            .until(() -> deflatingMemory.allocatePages(wanted).toOptional(), Optional::isPresent).orElseThrow();
        final AllocationResult refused = plainMemory.allocatePages(plainMemory.freeFrames() + PAGES_PER_MIB);

        assertThat(got.pages()).isEqualTo(wanted);
        assertThat(status(deflating).pressureDeflates()).as("counted").isPositive();
        assertThat(status(deflating).outcome()).isEqualTo(BalloonOutcome.DEFLATED_UNDER_PRESSURE);
        assertThat(deflating.memory().physmap().populatedPages()).isGreaterThanOrEqualTo(33 * PAGES_PER_MIB);
        awaitConsole(deflating, "balloon: memory pressure: took back 1024 KiB");
        assertThat(refused).isInstanceOf(AllocationResult.OutOfMemory.class);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> status(plain).pressureSignalsIgnored() > 0);
        assertThat(plain.memory().physmap().populatedPages()).as("not negotiated").isEqualTo(32 * PAGES_PER_MIB);
    }

    private GuestMemory started(final Domain domain)
    {
        awaitConsole(domain, "balloon: driver started");
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> host.kernel(domain).driver(BalloonGuestDriver.NAME).isPresent());
        return host.kernel(domain).context().memory();
    }

    private BalloonStatus status(final Domain domain)
    {
        return ((BalloonService)host.kernel(domain).driver(BalloonGuestDriver.NAME).orElseThrow()).status();
    }

    private void awaitPopulated(final Domain domain, final long pages)
    {
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> domain.memory().physmap().populatedPages() == pages &&
            status(domain).converged());
    }

    private void awaitConsole(final Domain domain, final String text)
    {
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> host.console(domain).contains(text));
    }

    /** Allocate (and so zero) every free page, then free them: the whole memory file is resident. */
    private static void touchEveryFreePage(final GuestMemory memory)
    {
        final Allocation all = memory.allocatePages(memory.freeFrames()).toOptional().orElseThrow();
        memory.free(all);
    }
}
