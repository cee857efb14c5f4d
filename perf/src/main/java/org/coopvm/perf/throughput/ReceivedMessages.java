package org.coopvm.perf.throughput;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH counter of messages a consumer received: reported as a rate (messages per second), which
 * is the one-way throughput, under the name {@code messages}. Failed offers and empty polls do not count. Owned by the consumer thread.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class ReceivedMessages
{
    /** Messages received in this iteration; JMH reads the public field. */
    public long messages;

    /** Count each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset()
    {
        messages = 0;
    }
}
