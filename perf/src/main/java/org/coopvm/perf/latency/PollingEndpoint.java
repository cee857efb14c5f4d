package org.coopvm.perf.latency;

/**
 * An endpoint whose receiver spins on a non-blocking poll. One thread per endpoint.
 */
abstract class PollingEndpoint implements PingPongEndpoint
{
    /** @return whether a message was taken; its value is then {@link #lastReceived()}. */
    abstract boolean poll();

    /** @return the value of the message the last successful {@link #poll()} took. */
    abstract long lastReceived();

    @Override
    public long receive(final long deadlineNs)
    {
        int spins = 0;
        while (!poll())
        {
            if (!SpinDeadline.spin(++spins, deadlineNs))
            {
                return NO_MESSAGE;
            }
        }
        return lastReceived();
    }
}
