package org.coopvm.rings.usage;

import java.util.Objects;

/**
 * What reading the usage page gave: a consistent {@link Snapshot}, or the typed reason there is
 * none this time ({@link Unavailable}). Reading never blocks, so {@code TORN} is an ordinary
 * outcome under heavy update traffic: read again later.
 */
public sealed interface UsageRead
{
    /** Why a read gave no snapshot. */
    enum Reason
    {
        /** dom0 has not published the page yet (sequence 0). */
        NOT_PUBLISHED,
        /** No consistent copy within the bounded attempts: dom0 was updating, or died mid-update. */
        TORN,
        /** The header is inconsistent (entry length, capacity or count out of range). */
        MALFORMED,
        /** The page is no longer mapped (the kernel stopped). */
        UNMAPPED
    }

    /**
     * A consistent copy.
     *
     * @param snapshot the copy.
     */
    record Snapshot(UsageSnapshot snapshot) implements UsageRead
    {
        /** Checks the reference. */
        public Snapshot
        {
            Objects.requireNonNull(snapshot, "snapshot");
        }
    }

    /**
     * No copy this time.
     *
     * @param reason why.
     * @param detail what was seen, for a human.
     */
    record Unavailable(Reason reason, String detail) implements UsageRead
    {
        /** Checks the references. */
        public Unavailable
        {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
