package org.coopvm.rings.xen;

/**
 * What a ring half found wrong in the indices its peer writes. A peer (a guest) can write
 * anything into shared memory; these are values, counted by the ring, never exceptions.
 */
public enum RingFault
{
    /** Nothing wrong seen. */
    NONE(false),
    /**
     * The peer's producer index claims more entries than can exist: more requests than the ring
     * holds beyond those answered, more responses than requests outstanding, or an index that
     * moved backwards. The ring stops working (permanent): nothing it claims is trusted.
     */
    PRODUCER_INDEX_OVERRUN(true),
    /**
     * The peer's event index asks to be woken more than a whole ring ahead of what was published,
     * which no honest peer does. The push notifies anyway, so no wake-up is lost; the ring keeps
     * working.
     */
    EVENT_INDEX_OUT_OF_RANGE(false);

    private final boolean permanent;

    RingFault(final boolean permanent)
    {
        this.permanent = permanent;
    }

    /** @return whether a ring that saw this fault stops working. */
    public boolean permanent()
    {
        return permanent;
    }
}
