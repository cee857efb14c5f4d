package org.coopvm.perf.latency;

import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Every round-trip transport the benchmark knows, by a name a child JVM can be given on its
 * command line. Immutable; any thread.
 */
public enum PingPongVariant
{
    /** Peer, spinning: a pair of Agrona {@code OneToOneRingBuffer}s. */
    AGRONA_ONE_TO_ONE_SPINNING(AgronaOneToOnePingPong::new),
    /** Ours, spinning: a Xen ring, request and response slots. */
    XEN_RING_SPINNING(XenRingPingPong::new),
    /** Ours, spinning: a pair of message channels. */
    CHANNEL_SPINNING(() -> new ChannelPingPong(WaitMode.SPINNING)),
    /** Baseline, blocking: raw futex words. */
    FUTEX_BASELINE_BLOCKING(FutexPingPong::new),
    /** Ours, blocking: a Xen ring with doorbells and event indices, sleeping at once. */
    XEN_RING_BLOCKING(() -> new XenRingBlockingPingPong(WaitMode.BLOCKING)),
    /** Ours, blocking: a pair of message channels sleeping on their doorbells at once. */
    CHANNEL_BLOCKING(() -> new ChannelPingPong(WaitMode.BLOCKING)),
    /** Ours, default wait strategy: the Xen ring spinning briefly before sleeping. */
    XEN_RING_SPIN_THEN_SLEEP(() -> new XenRingBlockingPingPong(WaitMode.SPIN_THEN_SLEEP)),
    /** Ours, default wait strategy: message channels spinning briefly before sleeping. */
    CHANNEL_SPIN_THEN_SLEEP(() -> new ChannelPingPong(WaitMode.SPIN_THEN_SLEEP));

    private final Supplier<PingPongTransport> factory;

    PingPongVariant(final Supplier<PingPongTransport> factory)
    {
        this.factory = factory;
    }

    /** @return a new transport of this kind. */
    public PingPongTransport transport()
    {
        return factory.get();
    }

    /** @return what it measures. */
    public Subject subject()
    {
        return transport().subject();
    }

    /** @return how its receivers wait. */
    public WaitMode waitMode()
    {
        return transport().waitMode();
    }

    /** @return the name used on a child's command line and in file names. */
    public String id()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param id a name from {@link #id()}.
     * @return the variant with that name.
     * @throws IllegalArgumentException when no variant has that name.
     */
    public static PingPongVariant fromId(final String id)
    {
        for (final PingPongVariant variant : values())
        {
            if (variant.id().equals(id))
            {
                return variant;
            }
        }
        throw new IllegalArgumentException("unknown ping-pong variant: " + id);
    }
}
