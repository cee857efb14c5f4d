package org.coopvm.rings.console;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The producer of one half of a console ring (the guest for {@link ConsoleRingHalf#OUT}, dom0
 * for {@link ConsoleRingHalf#IN}), as Xen's {@code io/console.h} users do it: copy the bytes to
 * {@code data[MASK_XENCONS_IDX(prod)]}, then publish {@code prod} with a release store. The
 * producer index is kept privately (the peer cannot move it); the consumer index is read once per
 * call with an acquire load. A consumer index claiming more unread bytes than the ring holds (or
 * fewer than none) is a corrupt peer: counted, the ring is reset (nothing unread, {@code prod} is
 * re-published as the consumer's index) and the call returns {@link #CORRUPT}. Nothing is ever
 * read or written outside the ring's data.
 *
 * <p>Thread safety: one producer thread at a time (callers serialise).
 */
public final class ConsoleRingWriter extends ConsoleRingEnd
{
    /** What a call returns when the peer's index was corrupt. */
    public static final int CORRUPT = -1;

    private int prod;

    /**
     * Wrap a console page; the producer index continues from the one in the page.
     *
     * @param page the page, at least {@link ConsoleRingDescriptor#INTERFACE_LENGTH} bytes, 4-byte aligned.
     * @param half which ring this writer produces.
     * @return this.
     */
    public ConsoleRingWriter wrap(final AtomicBuffer page, final ConsoleRingHalf half)
    {
        wrapHalf(page, half);
        this.prod = page.getIntVolatile(prodOffset);
        return this;
    }

    /** @return bytes that fit now, or {@link #CORRUPT} (counted, ring reset). */
    public int free()
    {
        final int cons = page.getIntVolatile(consOffset);
        final int unread = prod - cons;
        if (Integer.compareUnsigned(unread, size) > 0)
        {
            corruptions++;
            prod = cons;
            page.putIntRelease(prodOffset, prod);
            return CORRUPT;
        }
        return size - unread;
    }

    /**
     * Write as many bytes as fit, in order, and publish them.
     *
     * @param src    the bytes.
     * @param offset where they start.
     * @param length how many.
     * @return bytes written (0 when full), or {@link #CORRUPT}.
     */
    public int write(final byte[] src, final int offset, final int length)
    {
        final int free = free();
        if (free <= 0)
        {
            return free;
        }
        final int count = Math.min(free, length);
        final int at = ConsoleRingDescriptor.mask(prod, size);
        final int first = Math.min(count, size - at);
        page.putBytes(dataOffset + at, src, offset, first);
        page.putBytes(dataOffset, src, offset + first, count - first);
        prod += count;
        page.putIntRelease(prodOffset, prod);
        return count;
    }

    /** @return whether the consumer has read everything published (a volatile read). */
    public boolean isDrained()
    {
        return page.getIntVolatile(consOffset) == prod;
    }

    /** @return the private producer index (the value last published). */
    public int producerIndex()
    {
        return prod;
    }
}
