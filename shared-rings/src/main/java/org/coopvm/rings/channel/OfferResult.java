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
    INVALID_ARGUMENT
}
