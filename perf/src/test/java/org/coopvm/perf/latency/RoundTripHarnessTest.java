package org.coopvm.perf.latency;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoundTripHarnessTest
{
    private static final RoundTripPlan TINY = new RoundTripPlan(200, 1000, Duration.ofSeconds(30));

    @ParameterizedTest
    @EnumSource(PingPongVariant.class)
    void everyVariantBetweenTwoThreadsRecordsEveryMeasuredRoundTrip(final PingPongVariant variant)
    {
        final RoundTripResult result = ThreadPairRoundTrip.measure(variant.transport(), TINY);

        assertOrderedPercentiles(result);
    }

    @ParameterizedTest
    @EnumSource(value = PingPongVariant.class, names = {"XEN_RING_SPIN_THEN_SLEEP", "CHANNEL_SPIN_THEN_SLEEP"})
    void ourDefaultWaitersSleepWhenIdle(final PingPongVariant variant)
    {
        // CPU time only shrinks on a busy machine, so this bound holds under load.
        assertThat(IdleWaiterProbe.cpuPercent(variant.transport(), Duration.ofMillis(300))).isBetween(0.0, 20.0);
    }

    @ParameterizedTest
    @EnumSource(value = PingPongVariant.class, names = {"XEN_RING_BLOCKING", "CHANNEL_SPINNING"})
    void pairBetweenTwoProcessesRecordsEveryRoundTripAndCleansUp(final PingPongVariant variant, @TempDir final Path runDir)
    {
        final RoundTripResult result = ProcessPairRoundTrip.measure(variant, TINY, ChildJvm.likeThisJvm(), runDir);

        assertOrderedPercentiles(result);
        assertThat(runDir).as("region file and child log deleted").isEmptyDirectory();
    }

    @Test
    void forkedThreadPairWithSliceGapsHandsItsHistogramBackAndCleansUp(@TempDir final Path runDir)
    {
        final RoundTripResult result = RoundTripResult.of(ForkedThreadPairRoundTrip.record(
            PingPongVariant.XEN_RING_SPINNING, TINY.withSliceGap(Duration.ofMillis(1)), ChildJvm.likeThisJvm(), runDir));

        assertOrderedPercentiles(result);
        assertThat(runDir).as("histogram file and log deleted").isEmptyDirectory();
    }

    @Test
    void aFailingForkIsReportedWithItsOutput(@TempDir final Path runDir)
    {
        final ChildJvm broken = new ChildJvm(ChildJvm.likeThisJvm().java(), Optional.empty(), "/nonexistent");

        assertThatThrownBy(() -> ForkedThreadPairRoundTrip.record(PingPongVariant.XEN_RING_SPINNING, TINY, broken, runDir))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("exited with 1")
            .hasMessageContaining(RoundTripForkMain.class.getName());
        assertThat(runDir).isEmptyDirectory();
    }

    @Test
    void silentResponderIsReportedNotWaitedForForever()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.RAW, 0, 4096))
        {
            final PingPongEndpoint initiator = new FutexPingPong().initiator(region.payloadBuffer());

            assertThatThrownBy(() -> RoundTripHarness.initiate(initiator, new RoundTripPlan(0, 1, Duration.ofMillis(50))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("responder went silent at round trip 1");
        }
    }

    @Test
    void idleProbeSeesAFutexWaiterAsleep()
    {
        // CPU time only shrinks on a busy machine, so this bound holds under load; a spinning
        // waiter's share, on the other hand, depends on the load and is not asserted.
        final double sleeping = IdleWaiterProbe.cpuPercent(new FutexPingPong(), Duration.ofMillis(300));

        assertThat(sleeping).as("a futex waiter sleeps").isBetween(0.0, 20.0);
    }

    private static void assertOrderedPercentiles(final RoundTripResult result)
    {
        assertThat(result.roundTrips()).isEqualTo(1000);
        assertThat(result.p50Ns()).isPositive();
        assertThat(result.p50Ns()).isLessThanOrEqualTo(result.p99Ns());
        assertThat(result.p99Ns()).isLessThanOrEqualTo(result.p999Ns());
        assertThat(result.p999Ns()).isLessThanOrEqualTo(result.maxNs());
    }
}
