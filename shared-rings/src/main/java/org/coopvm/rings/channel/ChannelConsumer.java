package org.coopvm.rings.channel;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.MessageHandler;
import org.coopvm.rings.doorbell.SpinThenSleepWaitStrategy;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.doorbell.WaitStrategy;
import org.coopvm.rings.doorbell.WakeCondition;

/**
 * The consumer end of a {@link MessageChannel}: polls messages and, when there are none,
 * waits on the doorbell with a {@link SpinThenSleepWaitStrategy}.
 *
 * <p>Thread safety: one consumer thread.
 */
public final class ChannelConsumer extends ChannelEndpoint
{
    private final WaitStrategy waitStrategy;
    private final WakeCondition notEmpty = () -> ring.size() > 0;
    private WakeCondition orElse = () -> false;
    private final WakeCondition notEmptyOrElse = () -> ring.size() > 0 || orElse.ready();

    ChannelConsumer(final MessageChannel channel, final EpochClock clock, final WaitConfig config)
    {
        super(channel, ChannelDescriptor.CONSUMER_LIVENESS_OFFSET, ChannelDescriptor.PRODUCER_LIVENESS_OFFSET, clock, config);
        this.waitStrategy = new SpinThenSleepWaitStrategy(config, doorbell, peer, clock);
    }

    /**
     * Read up to {@code limit} messages, handing each to {@code handler}. The buffer passed to
     * the handler is the shared ring: copy what must outlive the call.
     *
     * @param handler called once per message, on this thread.
     * @param limit   most messages to read.
     * @return messages read.
     */
    public int poll(final MessageHandler handler, final int limit)
    {
        ensureOpen();
        return ring.read(handler, limit);
    }

    /**
     * Wait until a message may be there, the producer is gone, or the timeout passes. READY can
     * be spurious (a record claimed but not yet committed): poll and wait again.
     *
     * @param timeoutNs the longest wait, in nanoseconds.
     * @return READY, TIMED_OUT or PEER_GONE (only when the ring is empty).
     */
    public WaitResult awaitMessages(final long timeoutNs)
    {
        ensureOpen();
        return waitStrategy.await(notEmpty, timeoutNs);
    }

    /**
     * As {@link #awaitMessages}, and also ends (READY) when {@code orElse} holds; it is checked
     * while spinning and after every ring of this end's doorbell, so whoever makes it true rings
     * the doorbell.
     *
     * @param orElse    the other reason to stop waiting (reused by the caller: no allocation per wait).
     * @param timeoutNs the longest wait, in nanoseconds.
     * @return READY, TIMED_OUT or PEER_GONE (only when the ring is empty).
     */
    public WaitResult awaitMessagesOr(final WakeCondition orElse, final long timeoutNs)
    {
        ensureOpen();
        this.orElse = orElse;
        return waitStrategy.await(notEmptyOrElse, timeoutNs);
    }

    /** @return whether no message is waiting (a snapshot). */
    public boolean isEmpty()
    {
        return ring.size() == 0;
    }
}
