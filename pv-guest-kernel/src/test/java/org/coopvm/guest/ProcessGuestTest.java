package org.coopvm.guest;

import org.coopvm.guest.testing.FakeHost;
import org.coopvm.rings.balloon.BalloonStatsRead;
import org.coopvm.rings.balloon.BalloonStatsReader;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.usage.DomainCpu;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.HostUsage;
import org.coopvm.rings.doorbell.PeerLivenessDescriptor;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.coopvm.rings.testing.ChildJvm;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Process guests: {@link GuestMain} in a child JVM against region files a fake host created in a
 * run directory on {@code /dev/shm}.
 */
class ProcessGuestTest
{
    @Test
    void aProcessGuestBootsRunsItsWorkloadAndExitsZeroAfterPoweroff() throws Exception
    {
        try (ShmDirectory run = new ShmDirectory();
             FakeHost host = FakeHost.withFiles(run.path(), 11, 2, "test-hello", Map.of("greeting", "from-a-child"));
             ChildJvm guest = ChildJvm.start(GuestMain.class, "--run-dir", run.path().toString(), "--domid", "11"))
        {
            assertThat(guest.awaitExit(Duration.ofSeconds(60))).as(guest.output()).isZero();
            assertThat(host.console()).contains("domain 11, 2 vCPUs").contains("hello from dom11 greeting=from-a-child");
            assertThat(host.shutdownReason()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
            assertThat(host.guestLivenessState()).isEqualTo(PeerLivenessDescriptor.STATE_CLOSED);
        }
    }

    @Test
    void aProcessGuestSeesTheUsagePageDom0PublishedAndPublishesStatsDom0CanAge() throws Exception
    {
        try (ShmDirectory run = new ShmDirectory();
             FakeHost host = FakeHost.withFiles(run.path(), 15, 1, "test-usage", Map.of()))
        {
            host.usageWriter().publish(System.nanoTime(), 1000, 0, HostUsage.memory(1_048_576, 786_432), List.of(
                new DomainUsage(15, 0, 256, 192, 64, 512, 100, 120, 30, StatsFreshness.FRESH, DomainCpu.UNKNOWN),
                new DomainUsage(16, 0, 4096, 0, 0, 8192, 0, 0, -1, StatsFreshness.NONE, DomainCpu.UNKNOWN)));
            try (ChildJvm guest = ChildJvm.start(GuestMain.class, "--run-dir", run.path().toString(), "--domid", "15"))
            {
                assertThat(guest.awaitExit(Duration.ofSeconds(60))).as(guest.output()).isZero();
            }
            assertThat(host.console())
                .contains("usage seq=2 period=1000 pool=1048576/786432 domains=2")
                .contains("usage dom15 current=256 target=192 min=64 max=512 free=100 ws=120 stats=FRESH age=30")
                .contains("usage dom16 current=4096 target=0 min=0 max=8192 free=0 ws=0 stats=NONE age=-1");

            final BalloonStatsRead stats = new BalloonStatsReader(1000, BalloonStatsReader.DEFAULT_FUTURE_TOLERANCE_NS)
                .wrap(host.balloonStats()).read(System.nanoTime(), 256);
            assertThat(stats.freshness()).as("%s %s: the child's nanoTime is on our clock", stats.problem(), stats.detail())
                .isEqualTo(StatsFreshness.FRESH);
            assertThat(stats.stats().value(StatTag.TOTAL)).isEqualTo(64 * 4096L);
            assertThat(stats.ageNs()).isLessThan(TimeUnit.SECONDS.toNanos(60));
        }
    }

    @Test
    void aProcessGuestWhoseHostGoesSilentExitsWithinTwoSeconds() throws Exception
    {
        try (ShmDirectory run = new ShmDirectory();
             FakeHost host = FakeHost.withFiles(run.path(), 12, 1, "test-idle", Map.of());
             ChildJvm guest = ChildJvm.start(GuestMain.class, "--run-dir", run.path().toString(), "--domid", "12"))
        {
            await().atMost(60, TimeUnit.SECONDS).until(() -> host.console().contains("workload test-idle"));
            final long silentNs = System.nanoTime();
            host.playDead();

            assertThat(guest.awaitExit(Duration.ofSeconds(10))).as(guest.output()).isEqualTo(2);
            assertThat(System.nanoTime() - silentNs).as("exit after the host's last heartbeat (ns)")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(2500));
        }
    }

    @Test
    void aProcessGuestWhoseHostProcessDiesExitsWithinTwoSeconds() throws Exception
    {
        final Process standIn = new ProcessBuilder("sleep", "60").start();
        try (ShmDirectory run = new ShmDirectory();
             FakeHost host = FakeHost.withFiles(run.path(), 14, 1, "test-idle", Map.of());
             ChildJvm guest = ChildJvm.start(GuestMain.class, "--run-dir", run.path().toString(), "--domid", "14"))
        {
            host.hostPid(standIn.pid());
            await().atMost(60, TimeUnit.SECONDS).until(() -> host.console().contains("workload test-idle"));

            final long killedNs = System.nanoTime();
            standIn.destroyForcibly().waitFor();

            assertThat(guest.awaitExit(Duration.ofSeconds(10))).as(guest.output()).isEqualTo(2);
            assertThat(System.nanoTime() - killedNs).as("exit after the host process died (ns)")
                .isLessThan(TimeUnit.SECONDS.toNanos(2));
            assertThat(guest.output()).contains("HOST_GONE");
        }
        finally
        {
            standIn.destroyForcibly();
        }
    }

    @Test
    void aProcessGuestWithoutRegionFilesFailsToBoot() throws Exception
    {
        try (ShmDirectory run = new ShmDirectory();
             ChildJvm guest = ChildJvm.start(GuestMain.class, "--run-dir", run.path().toString(), "--domid", "13"))
        {
            assertThat(guest.awaitExit(Duration.ofSeconds(60))).as(guest.output()).isEqualTo(GuestMain.EXIT_BOOT_FAILED);
            assertThat(guest.output()).contains("boot failed");
        }
    }
}
