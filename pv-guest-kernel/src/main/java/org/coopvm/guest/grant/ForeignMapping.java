package org.coopvm.guest.grant;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * One mapped page of another domain's memory: a bounds-checked 4096-byte view. A read-only
 * mapping gives only {@link #readBuffer()}: the page is mapped read-only, and a write through a
 * raw view would fault the process.
 *
 * <p>Thread safety: the views may be used from any thread until {@link #close()}; closing while
 * another thread still uses a view is the caller's error (a file mapping is gone then).
 */
public final class ForeignMapping implements AutoCloseable
{
    private final AtomicBuffer page;
    private final boolean readonly;
    private final Runnable unmap;
    private boolean closed;

    /**
     * @param page     the 4096-byte view.
     * @param readonly whether writes are forbidden.
     * @param unmap    releases the mapping (runs once).
     */
    public ForeignMapping(final AtomicBuffer page, final boolean readonly, final Runnable unmap)
    {
        this.page = page;
        this.readonly = readonly;
        this.unmap = unmap;
    }

    /**
     * @return the writable view.
     * @throws IllegalStateException for a read-only mapping.
     */
    public AtomicBuffer buffer()
    {
        if (readonly)
        {
            throw new IllegalStateException("the page is mapped read-only: use readBuffer()");
        }
        return page;
    }

    /** @return a view for reading (and, for a writable mapping, the same memory as {@link #buffer()}). */
    public DirectBuffer readBuffer()
    {
        return page;
    }

    /** @return whether the mapping is read-only. */
    public boolean isReadonly()
    {
        return readonly;
    }

    /** Unmap. Idempotent. */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            unmap.run();
        }
    }
}
