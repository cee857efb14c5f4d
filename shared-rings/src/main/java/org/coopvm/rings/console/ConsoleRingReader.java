package org.coopvm.rings.console;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The consumer of one half of a console ring (dom0 for {@link ConsoleRingHalf#OUT}, the guest
 * for {@link ConsoleRingHalf#IN}), as Xen's {@code io/console.h} users do it: read {@code prod}
 * with an acquire load, copy the bytes out of {@code data[MASK_XENCONS_IDX(cons)]} into private
 * memory, then publish {@code cons} with a release store. The consumer index is kept privately; a
 * producer index claiming more bytes than the ring holds (or moving backwards) is a corrupt peer:
 * counted, its bytes are skipped ({@code cons = prod}) and the call returns {@link #CORRUPT}.
 * Nothing is read outside the ring's data.
 *
 * <p>Thread safety: one consumer thread at a time (callers serialise).
 */
public final class ConsoleRingReader extends ConsoleRingEnd
{
    /** What a call returns when the peer's index was corrupt. */
    public static final int CORRUPT = -1;

    private int cons;

    /**
     * Wrap a console page; the consumer index continues from the one in the page.
     *
     * @param page the page, at least {@link ConsoleRingDescriptor#INTERFACE_LENGTH} bytes, 4-byte aligned.
     * @param half which ring this reader consumes.
     * @return this.
     */
    public ConsoleRingReader wrap(final AtomicBuffer page, final ConsoleRingHalf half)
    {
        wrapHalf(page, half);
        this.cons = page.getIntVolatile(consOffset);
        return this;
    }

    /**
     * Copy up to {@code maxLength} unread bytes, in order, and release their space.
     *
     * @param dst       where to copy.
     * @param offset    where in {@code dst}.
     * @param maxLength most bytes to take.
     * @return bytes read (0 when empty), or {@link #CORRUPT} (counted, unread bytes skipped).
     */
    public int read(final byte[] dst, final int offset, final int maxLength)
    {
        final int prod = page.getIntVolatile(prodOffset);
        final int unread = prod - cons;
        if (Integer.compareUnsigned(unread, size) > 0)
        {
            corruptions++;
            cons = prod;
            page.putIntRelease(consOffset, cons);
            return CORRUPT;
        }
        final int count = Math.min(unread, maxLength);
        if (count == 0)
        {
            return 0;
        }
        final int at = ConsoleRingDescriptor.mask(cons, size);
        final int first = Math.min(count, size - at);
        page.getBytes(dataOffset + at, dst, offset, first);
        page.getBytes(dataOffset, dst, offset + first, count - first);
        cons += count;
        page.putIntRelease(consOffset, cons);
        return count;
    }

    /** @return whether unread bytes are waiting (a volatile read; a corrupt index also counts). */
    public boolean hasUnread()
    {
        return page.getIntVolatile(prodOffset) != cons;
    }

    /** @return the private consumer index (the value last published). */
    public int consumerIndex()
    {
        return cons;
    }
}
