package org.coopvm.perf.latency;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures round trips between the calling thread (the initiator) and a responder thread over
 * anonymous shared memory. Stateless; blocks the calling thread for the whole measurement.
 */
public final class ThreadPairRoundTrip
{
    private static final Duration JOIN_GRACE = Duration.ofSeconds(2);

    private ThreadPairRoundTrip()
    {
    }

    /**
     * @param transport what carries the messages.
     * @param plan      counts and timeout.
     * @return the round-trip percentiles.
     * @throws IllegalStateException when either side fails or times out.
     */
    public static RoundTripResult measure(final PingPongTransport transport, final RoundTripPlan plan)
    {
        return RoundTripResult.of(record(transport, plan));
    }

    /**
     * As {@link #measure}, returning the histogram itself (to hand it to another JVM).
     *
     * @param transport what carries the messages.
     * @param plan      counts and timeout.
     * @return the measured round-trip times in nanoseconds.
     * @throws IllegalStateException when either side fails or times out.
     */
    public static Histogram record(final PingPongTransport transport, final RoundTripPlan plan)
    {
        final PingPongLink link = transport.create(Optional.empty());
        final AtomicReference<RuntimeException> responderFailure = new AtomicReference<>();
        final Thread responder = startResponder(transport, link, plan, responderFailure);
        try
        {
            final Histogram result = RoundTripHarness.record(link.initiator(), plan);
            join(responder, plan.timeout().plus(JOIN_GRACE));
            if (responderFailure.get() != null)
            {
                throw responderFailure.get();
            }
            return result;
        }
        finally
        {
            // Never unmap memory a live thread still reads: leak it instead (the thread ends at its deadline).
            if (!responder.isAlive())
            {
                link.close();
            }
        }
    }

    private static Thread startResponder(
        final PingPongTransport transport,
        final PingPongLink link,
        final RoundTripPlan plan,
        final AtomicReference<RuntimeException> failure)
    {
        final PingPongEndpoint endpoint = link.responder();
        final long deadlineNs = System.nanoTime() + plan.timeout().toNanos();
        return Thread.ofPlatform().daemon().name("rtt-responder-" + transport.subject().id()).start(() ->
        {
            try
            {
                RoundTripHarness.respond(endpoint, plan.totalRoundTrips(), deadlineNs);
            }
            catch (final RuntimeException ex)
            {
                failure.set(ex);
            }
        });
    }

    private static void join(final Thread thread, final Duration timeout)
    {
        try
        {
            if (!thread.join(timeout))
            {
                throw new IllegalStateException(thread.getName() + " did not finish within " + timeout);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + thread.getName(), ex);
        }
    }
}
