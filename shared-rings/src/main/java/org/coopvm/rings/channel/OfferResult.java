package org.coopvm.rings.channel;

/**
 * What became of an offered message. Only {@link #ACCEPTED} means it will be delivered.
 */
public enum OfferResult
{
    /** Written to the ring; the consumer will see it. */
    ACCEPTED,
    /** No room now (back pressure): retry later, the consumer is alive but behind. */
    FULL,
    /** Longer than the channel's maximum message length: it will never fit. */
    TOO_LONG,
    /** The consumer closed, or its process died: no message will be read any more. */
    PEER_GONE,
    /** A message type id below 1, or an offset/length outside the source buffer. */
    INVALID_ARGUMENT;

    private static final OfferResult[] VALUES = values();

    /**
     * @param claim what {@link ChannelProducer#tryClaim(int, int)} returned.
     * @return ACCEPTED for an index (0 or more), else the outcome the negative code stands for.
     */
    public static OfferResult ofClaim(final int claim)
    {
        return claim >= 0 ? ACCEPTED : VALUES[-claim - 1];
    }

    static int claimCode(final OfferResult result)
    {
        return -1 - result.ordinal();
    }
}
