package org.coopvm.perf.latency;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * The two loops of a ping-pong measurement: the initiator sends a sequence number and times
 * until the same number comes back; the responder echoes what it receives. Stateless; each
 * method runs on the calling thread.
 */
public final class RoundTripHarness
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGNIFICANT_DIGITS = 3;

    private RoundTripHarness()
    {
    }

    /**
     * Make {@link RoundTripPlan#totalRoundTrips()} round trips, recording the measured ones.
     *
     * @param initiator the sending end.
     * @param plan      counts and timeout.
     * @return the percentiles of the measured round trips.
     * @throws IllegalStateException when the peer stops answering or answers with the wrong number.
     */
    public static RoundTripResult initiate(final PingPongEndpoint initiator, final RoundTripPlan plan)
    {
        return RoundTripResult.of(record(initiator, plan));
    }

    /**
     * As {@link #initiate}, returning the histogram itself (to hand it to another JVM).
     *
     * @param initiator the sending end.
     * @param plan      counts and timeout.
     * @return the measured round-trip times in nanoseconds.
     * @throws IllegalStateException when the peer stops answering or answers with the wrong number.
     */
    public static Histogram record(final PingPongEndpoint initiator, final RoundTripPlan plan)
    {
        final long deadlineNs = System.nanoTime() + plan.timeout().toNanos();
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        final int total = plan.totalRoundTrips();
        final long gapNs = plan.sliceGap().toNanos();
        for (int sequence = 1; sequence <= total; sequence++)
        {
            final long startNs = System.nanoTime();
            initiator.send(sequence);
            final long echoed = initiator.receive(deadlineNs);
            final long elapsedNs = System.nanoTime() - startNs;
            checkEcho(sequence, echoed);
            if (sequence > plan.warmupRoundTrips())
            {
                histogram.recordValue(Math.min(elapsedNs, HIGHEST_TRACKABLE_NS));
                if (gapNs > 0 && (sequence - plan.warmupRoundTrips()) % RoundTripPlan.SLICE == 0)
                {
                    spinFor(gapNs);
                }
            }
        }
        return histogram;
    }

    /**
     * Echo {@code roundTrips} messages back to the initiator.
     *
     * @param responder  the echoing end.
     * @param roundTrips how many messages to echo.
     * @param deadlineNs {@link System#nanoTime()} after which the initiator counts as gone.
     * @throws IllegalStateException when the initiator goes silent before the last message.
     */
    public static void respond(final PingPongEndpoint responder, final int roundTrips, final long deadlineNs)
    {
        for (int i = 1; i <= roundTrips; i++)
        {
            final long value = responder.receive(deadlineNs);
            if (value == PingPongEndpoint.NO_MESSAGE)
            {
                throw new IllegalStateException("initiator went silent after " + (i - 1) + " of " + roundTrips + " messages");
            }
            responder.send(value);
        }
    }

    /** Busy, not parked: a parked initiator would measure its own wake-up in the next round trip. */
    private static void spinFor(final long durationNs)
    {
        final long endNs = System.nanoTime() + durationNs;
        while (System.nanoTime() - endNs < 0)
        {
            Thread.onSpinWait();
        }
    }

    private static void checkEcho(final int sequence, final long echoed)
    {
        if (echoed == PingPongEndpoint.NO_MESSAGE)
        {
            throw new IllegalStateException("responder went silent at round trip " + sequence);
        }
        if (echoed != sequence)
        {
            throw new IllegalStateException("round trip " + sequence + " came back as " + echoed);
        }
    }
}
