package org.coopvm.hypervisor.testing;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.atomic.AtomicLong;

/** A host clock tests move by hand. Thread safe. */
public final class ManualNanoClock implements NanoClock
{
    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime()
    {
        return nowNs.get();
    }

    /** @param deltaNs how far to move. */
    public void advance(final long deltaNs)
    {
        nowNs.addAndGet(deltaNs);
    }
}
