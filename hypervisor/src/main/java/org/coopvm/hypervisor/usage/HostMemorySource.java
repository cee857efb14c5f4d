package org.coopvm.hypervisor.usage;

import java.util.function.LongSupplier;

/**
 * Where the usage page gets the host memory pool from: the toolstack's books today, the
 * hypervisor's {@code MemoryPool} once reservations exist.
 *
 * <p>Thread safety: called from the usage publisher's thread; implementations must be safe to
 * call from it.
 */
public interface HostMemorySource
{
    /** The pool is not known: the page shows 0 and sets {@code FLAG_POOL_UNKNOWN}. */
    HostMemorySource UNKNOWN = new HostMemorySource()
    {
        @Override
        public long poolTotalKib()
        {
            return 0;
        }

        @Override
        public long poolFreeKib()
        {
            return 0;
        }

        @Override
        public boolean isKnown()
        {
            return false;
        }
    };

    /** @return the pool's size, KiB. */
    long poolTotalKib();

    /** @return the part of the pool no domain holds, KiB. */
    long poolFreeKib();

    /** @return whether the numbers mean anything. */
    default boolean isKnown()
    {
        return true;
    }

    /**
     * @param totalKib the pool, KiB.
     * @param heldKib  what domains hold now, KiB (asked at each publish).
     * @return a source whose free part is {@code total - held}, never below 0.
     */
    static HostMemorySource pool(final long totalKib, final LongSupplier heldKib)
    {
        return new HostMemorySource()
        {
            @Override
            public long poolTotalKib()
            {
                return totalKib;
            }

            @Override
            public long poolFreeKib()
            {
                return Math.max(0, totalKib - heldKib.getAsLong());
            }
        };
    }
}
