package org.coopvm.rings.doorbell;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.ChildJvm;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SpinThenSleepWaitStrategyTest
{
    private static final int PEER_OFFSET = DoorbellDescriptor.DOORBELL_LENGTH;
    private static final long LONG_WAIT_NS = TimeUnit.SECONDS.toNanos(60);

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws InterruptedException
    {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void configRejectsBadValuesByName()
    {
        assertThatThrownBy(() -> new WaitConfig(-1, 0, 1, 0)).hasMessageContaining("spinIterations");
        assertThatThrownBy(() -> new WaitConfig(0, 0, 0, 0)).hasMessageContaining("livenessCheckIntervalNs");
        assertThatThrownBy(() -> WaitConfig.DEFAULT.withHeartbeatTimeoutMs(-5)).hasMessageContaining("heartbeatTimeoutMs");
    }

    @Test
    void returnsReadyWhenAnotherThreadPublishesAndRings() throws Exception
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.DOORBELL, 0, 4096))
        {
            final Doorbell doorbell = new Doorbell().wrap(region.payloadBuffer(), 0);
            final PeerLiveness peer = livePeer(region);
            final AtomicBoolean work = new AtomicBoolean();
            final SpinThenSleepWaitStrategy strategy = strategy(WaitConfig.DEFAULT, doorbell, peer);

            final Future<WaitResult> waiter = executor.submit(() -> strategy.await(work::get, LONG_WAIT_NS));
            await().atMost(Duration.ofSeconds(10)).until(() -> doorbell.sleepers() == 1);
            work.set(true);
            doorbell.wakeIfSleeping();

            assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(WaitResult.READY);
        }
    }

    @Test
    void timesOutWhenThePeerIsAliveButSilent()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.DOORBELL, 0, 4096))
        {
            final SpinThenSleepWaitStrategy strategy = strategy(
                WaitConfig.DEFAULT.withLivenessCheckIntervalNs(5_000_000L), new Doorbell().wrap(region.payloadBuffer(), 0),
                livePeer(region));

            final long startNs = System.nanoTime();
            assertThat(strategy.await(() -> false, 50_000_000L)).isEqualTo(WaitResult.TIMED_OUT);
            assertThat(System.nanoTime() - startNs).isGreaterThanOrEqualTo(50_000_000L);
        }
    }

    @Test
    void closingThePeerWakesTheSleeperAtOnce() throws Exception
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.DOORBELL, 0, 4096))
        {
            final Doorbell doorbell = new Doorbell().wrap(region.payloadBuffer(), 0);
            final PeerLiveness peer = livePeer(region);
            // a liveness interval longer than the test's deadline: only the close's wake can end the sleep in time
            final SpinThenSleepWaitStrategy strategy = strategy(
                WaitConfig.DEFAULT.withLivenessCheckIntervalNs(LONG_WAIT_NS), doorbell, peer);

            final Future<WaitResult> waiter = executor.submit(() -> strategy.await(() -> false, LONG_WAIT_NS));
            await().atMost(Duration.ofSeconds(10)).until(() -> doorbell.sleepers() == 1);
            peer.markClosed();
            doorbell.wake();

            assertThat(waiter.get(20, TimeUnit.SECONDS)).isEqualTo(WaitResult.PEER_GONE);
        }
    }

    @Test
    void workLeftByAGonePeerIsStillReady()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.DOORBELL, 0, 4096))
        {
            final PeerLiveness peer = livePeer(region);
            peer.markClosed();
            final SpinThenSleepWaitStrategy strategy = strategy(
                WaitConfig.DEFAULT, new Doorbell().wrap(region.payloadBuffer(), 0), peer);

            assertThat(strategy.await(() -> true, LONG_WAIT_NS)).isEqualTo(WaitResult.READY);
        }
    }

    @Test
    void staleHeartbeatCountsAsGoneOnlyWhenATimeoutIsConfigured()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.DOORBELL, 0, 4096))
        {
            final CachedEpochClock clock = new CachedEpochClock();
            final PeerLiveness peer = new PeerLiveness().wrap(region.payloadBuffer(), PEER_OFFSET);
            peer.attach(clock.time());
            clock.advance(10_000);
            final Doorbell doorbell = new Doorbell().wrap(region.payloadBuffer(), 0);
            final WaitConfig fastChecks = WaitConfig.DEFAULT.withLivenessCheckIntervalNs(1_000_000L);

            assertThat(new SpinThenSleepWaitStrategy(fastChecks, doorbell, peer, clock).await(() -> false, 30_000_000L))
                .isEqualTo(WaitResult.TIMED_OUT);
            assertThat(new SpinThenSleepWaitStrategy(fastChecks.withHeartbeatTimeoutMs(1_000), doorbell, peer, clock)
                .await(() -> false, LONG_WAIT_NS)).isEqualTo(WaitResult.PEER_GONE);

            peer.heartbeat(clock.time());
            assertThat(peer.isGone(clock.time(), 1_000)).isFalse();
        }
    }

    @Test
    void everyAttachStartsANewEpoch()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.DOORBELL, 0, 4096))
        {
            final PeerLiveness peer = new PeerLiveness().wrap(region.payloadBuffer(), PEER_OFFSET);
            assertThat(peer.state()).isEqualTo(PeerLivenessDescriptor.STATE_ABSENT);
            assertThat(peer.isGone(0, 0)).as("nobody attached yet is not gone").isFalse();
            assertThat(peer.attach(1)).isEqualTo(1);
            peer.markClosed();
            assertThat(peer.isGone(1, 0)).isTrue();
            assertThat(peer.attach(2)).isEqualTo(2);
            assertThat(peer.isGone(2, 0)).isFalse();
            assertThat(peer.pid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void tellsASilentPeerProcessFromADeadOne() throws Exception
    {
        try (ShmDirectory dir = new ShmDirectory();
            SharedRegion region = SharedRegion.createFile(dir.resolve("doorbell"), RegionType.DOORBELL, 0, 4096);
            ChildJvm child = ChildJvm.start(LivenessChild.class, region.path().map(Path::toString).orElseThrow(),
                String.valueOf(PEER_OFFSET)))
        {
            final PeerLiveness peer = new PeerLiveness().wrap(region.payloadBuffer(), PEER_OFFSET);
            await().atMost(Duration.ofSeconds(60)).failFast(() -> !child.isAlive())
                .until(() -> peer.state() == PeerLivenessDescriptor.STATE_ALIVE && peer.pid() == child.pid());
            final Doorbell doorbell = new Doorbell().wrap(region.payloadBuffer(), 0);
            final SpinThenSleepWaitStrategy strategy = strategy(
                WaitConfig.DEFAULT.withLivenessCheckIntervalNs(20_000_000L), doorbell, peer);

            assertThat(strategy.await(() -> false, 200_000_000L)).as("live but silent peer").isEqualTo(WaitResult.TIMED_OUT);

            final Future<WaitResult> waiter = executor.submit(() -> strategy.await(() -> false, LONG_WAIT_NS));
            await().atMost(Duration.ofSeconds(10)).until(() -> doorbell.sleepers() == 1);
            child.kill();
            assertThat(waiter.get(20, TimeUnit.SECONDS)).as("peer process killed").isEqualTo(WaitResult.PEER_GONE);
            assertThat(peer.epoch()).isEqualTo(1);
        }
    }

    private static PeerLiveness livePeer(final SharedRegion region)
    {
        final PeerLiveness peer = new PeerLiveness().wrap(region.payloadBuffer(), PEER_OFFSET);
        peer.attach(SystemEpochClock.INSTANCE.time());
        return peer;
    }

    private static SpinThenSleepWaitStrategy strategy(final WaitConfig config, final Doorbell doorbell, final PeerLiveness peer)
    {
        return new SpinThenSleepWaitStrategy(config, doorbell, peer, SystemEpochClock.INSTANCE);
    }
}
