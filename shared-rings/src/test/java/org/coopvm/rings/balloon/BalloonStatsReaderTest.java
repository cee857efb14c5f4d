package org.coopvm.rings.balloon;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * dom0's view of a guest's balloon stats: honest stats are fresh, then stale; each lie a guest
 * can tell is classified invalid with its reason, and honest stats afterwards are accepted again.
 */
class BalloonStatsReaderTest
{
    private static final long MAXMEM_KIB = 65536;
    private static final long T0 = TimeUnit.SECONDS.toNanos(100);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int PERIOD_MS = 100;

    private final SharedRegion region = SharedRegion.createAnonymous(RegionType.BALLOON_STATS, 1, BalloonStatsDescriptor.PAYLOAD_LENGTH);
    private final MemorySegment payload = region.payload();
    private final BalloonStatsWriter guest = new BalloonStatsWriter().wrap(payload);
    private final BalloonStatsReader dom0 = new BalloonStatsReader().wrap(payload);

    @AfterEach
    void tearDown()
    {
        region.close();
    }

    @Test
    void beforeTheGuestPublishesThereAreNoStats()
    {
        assertThat(dom0.read(T0, MAXMEM_KIB)).isEqualTo(BalloonStatsRead.NONE);
    }

    @Test
    void honestStatsAreFreshThenStaleAfterThreePeriodsWithoutAPublish()
    {
        final int sequence = guest.publish(honest(), T0, PERIOD_MS);

        final BalloonStatsRead fresh = dom0.read(T0 + 50 * MS, MAXMEM_KIB);
        assertThat(fresh.freshness()).isEqualTo(StatsFreshness.FRESH);
        assertThat(fresh.ageNs()).isEqualTo(50 * MS);
        assertThat(fresh.stats().sequence()).isEqualTo(sequence).isEqualTo(2);
        assertThat(fresh.stats().kib(StatTag.TOTAL)).isEqualTo(32768);
        assertThat(fresh.stats().kib(StatTag.FREE)).isEqualTo(8192);
        assertThat(fresh.stats().isValid(StatTag.SWAP_IN)).isFalse();
        assertThat(fresh.stats().workingSetKib()).isEqualTo(20000);
        assertThat(fresh.stats().floorKib()).isEqualTo(4096);

        final BalloonStatsRead stale = dom0.read(T0 + 301 * MS, MAXMEM_KIB);
        assertThat(stale.freshness()).isEqualTo(StatsFreshness.STALE);
        assertThat(stale.stats()).isEqualTo(fresh.stats());

        guest.publish(honest(), T0 + 400 * MS, PERIOD_MS);
        assertThat(dom0.read(T0 + 401 * MS, MAXMEM_KIB).freshness()).isEqualTo(StatsFreshness.FRESH);
    }

    @Test
    void aRequestAndAnOfferReachDom0WithTheirSignUpToMaxmem()
    {
        guest.publish(honest().requestKib(MAXMEM_KIB), T0, PERIOD_MS);
        assertThat(dom0.read(T0 + MS, MAXMEM_KIB).stats().requestKib()).as("asks for maxmem more").isEqualTo(MAXMEM_KIB);

        guest.publish(honest().requestKib(-MAXMEM_KIB), T0 + 2 * MS, PERIOD_MS);
        assertThat(dom0.read(T0 + 3 * MS, MAXMEM_KIB).stats().requestKib()).as("volunteers maxmem").isEqualTo(-MAXMEM_KIB);

        guest.publish(honest(), T0 + 4 * MS, PERIOD_MS);
        assertThat(dom0.read(T0 + 5 * MS, MAXMEM_KIB).stats().requestKib()).as("a cleared sample asks nothing").isZero();
    }

    @Test
    void eachPublishAddsTwoToTheSequence()
    {
        assertThat(guest.publish(honest(), T0, PERIOD_MS)).isEqualTo(2);
        assertThat(guest.publish(honest(), T0 + MS, PERIOD_MS)).isEqualTo(4);
        assertThat(guest.publishes()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lies")
    void aLieIsInvalidWithItsReasonAndHonestStatsAreAcceptedAgainAfterwards(final String lie, final Consumer<Lies> tell,
        final StatsProblem expected)
    {
        payload.set(ValueLayout.JAVA_INT, BalloonStatsDescriptor.SEQUENCE_OFFSET, 100);
        guest.publish(honest().set(StatTag.MAJOR_FAULTS, 10), T0, PERIOD_MS);
        assertThat(dom0.read(T0 + MS, MAXMEM_KIB).freshness()).isEqualTo(StatsFreshness.FRESH);

        tell.accept(new Lies(guest, payload));
        final BalloonStatsRead read = dom0.read(T0 + 2 * MS, MAXMEM_KIB);

        assertThat(read.freshness()).as(lie).isEqualTo(StatsFreshness.INVALID);
        assertThat(read.problem()).as(read.detail()).isEqualTo(expected);
        assertThat(read.detail()).isNotEmpty();
        assertThat(read.accepted()).as("no values from a lie").isEmpty();

        payload.set(ValueLayout.JAVA_INT, BalloonStatsDescriptor.SEQUENCE_OFFSET, 1000);
        guest.publish(honest().set(StatTag.MAJOR_FAULTS, 11), T0 + 3 * MS, PERIOD_MS);
        assertThat(dom0.read(T0 + 4 * MS, MAXMEM_KIB).freshness()).as("honest again after: " + lie).isEqualTo(StatsFreshness.FRESH);
    }

    static Stream<Arguments> lies()
    {
        return Stream.of(
            arguments("total over maxmem", lie(l -> l.publish(honest().set(StatTag.TOTAL, (MAXMEM_KIB + 4) * 1024), T0 + MS)),
                StatsProblem.OVER_MAXMEM),
            arguments("a 'negative' u64 free", lie(l -> l.publish(honest().set(StatTag.TOTAL, 1024), T0 + MS).value(StatTag.FREE, -1)),
                StatsProblem.OVER_MAXMEM),
            arguments("floor over maxmem", lie(l -> l.publish(honest().floorKib(MAXMEM_KIB + 1), T0 + MS)), StatsProblem.OVER_MAXMEM),
            arguments("working set over maxmem", lie(l -> l.publish(honest().workingSetKib(MAXMEM_KIB * 2), T0 + MS)),
                StatsProblem.OVER_MAXMEM),
            arguments("a request above maxmem", lie(l -> l.publish(honest().requestKib(MAXMEM_KIB + 1), T0 + MS)),
                StatsProblem.OVER_MAXMEM),
            arguments("an offer of the whole i64 range", lie(l -> l.publish(honest().requestKib(Long.MIN_VALUE), T0 + MS)),
                StatsProblem.OVER_MAXMEM),
            arguments("free over total", lie(l -> l.publish(honest().set(StatTag.FREE, 40L << 20), T0 + MS)), StatsProblem.INCONSISTENT),
            arguments("sequence going backwards", lie(l -> l.sequence(10).publish(honest().set(StatTag.MAJOR_FAULTS, 10), T0 + MS)),
                StatsProblem.SEQUENCE_BACKWARDS),
            arguments("data changed without a publish", lie(l -> l.value(StatTag.FREE, 1024)), StatsProblem.CHANGED_IN_PLACE),
            arguments("timestamp in the future", lie(l -> l.publish(honest(), T0 + TimeUnit.SECONDS.toNanos(5))),
                StatsProblem.TIMESTAMP_IN_FUTURE),
            arguments("timestamp going backwards", lie(l -> l.publish(honest().set(StatTag.MAJOR_FAULTS, 10), T0 - MS)),
                StatsProblem.TIMESTAMP_BACKWARDS),
            arguments("period of zero", lie(l -> l.publish(honest(), T0 + MS, 0)), StatsProblem.BAD_PERIOD),
            arguments("period of a day", lie(l -> l.publish(honest(), T0 + MS, 86_400_000)), StatsProblem.BAD_PERIOD),
            arguments("validity bits of unknown tags", lie(l -> l.publish(honest(), T0 + MS).mask(1L << 40)), StatsProblem.UNKNOWN_TAGS),
            arguments("a counter going backwards", lie(l -> l.publish(honest().set(StatTag.MAJOR_FAULTS, 3), T0 + MS)),
                StatsProblem.COUNTER_BACKWARDS),
            arguments("sequence left odd", lie(l -> l.sequence(7)), StatsProblem.TORN));
    }

    @Test
    void aRegionClosedUnderTheReaderIsReportedNotThrown()
    {
        final SharedRegion other = SharedRegion.createAnonymous(RegionType.BALLOON_STATS, 2, BalloonStatsDescriptor.PAYLOAD_LENGTH);
        final BalloonStatsReader reader = new BalloonStatsReader().wrap(other.payload());
        other.close();

        final BalloonStatsRead read = reader.read(T0, MAXMEM_KIB);
        assertThat(read.freshness()).isEqualTo(StatsFreshness.NONE);
        assertThat(read.problem()).isEqualTo(StatsProblem.UNMAPPED);
    }

    static BalloonStatsSample honest()
    {
        return new BalloonStatsSample()
            .set(StatTag.TOTAL, 32L << 20)
            .set(StatTag.FREE, 8L << 20)
            .set(StatTag.AVAILABLE, 12L << 20)
            .set(StatTag.CACHES, 4L << 20)
            .floorKib(4096)
            .workingSetKib(20000);
    }

    private static Consumer<Lies> lie(final Consumer<Lies> lie)
    {
        return lie;
    }

    /** What a hostile guest does to its region: publishes through the writer, or writes fields directly. */
    record Lies(BalloonStatsWriter writer, MemorySegment payload)
    {
        Lies publish(final BalloonStatsSample sample, final long nowNs)
        {
            return publish(sample, nowNs, PERIOD_MS);
        }

        Lies publish(final BalloonStatsSample sample, final long nowNs, final int periodMs)
        {
            writer.publish(sample, nowNs, periodMs);
            return this;
        }

        Lies value(final StatTag tag, final long value)
        {
            payload.set(ValueLayout.JAVA_LONG, BalloonStatsDescriptor.valueOffset(tag), value);
            return this;
        }

        Lies mask(final long bits)
        {
            payload.set(ValueLayout.JAVA_LONG, BalloonStatsDescriptor.VALID_MASK_OFFSET, bits);
            return this;
        }

        Lies sequence(final int sequence)
        {
            payload.set(ValueLayout.JAVA_INT, BalloonStatsDescriptor.SEQUENCE_OFFSET, sequence);
            return this;
        }
    }
}
