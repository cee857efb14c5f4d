package org.coopvm.rings.mem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A sequence lock over a u32 word in shared memory, as Linux's {@code seqcount_t} and Xen's
 * runstate and {@code vcpu_time_info} version fields: one writer makes the word odd, writes the
 * data, then makes it even; readers copy the data and keep the copy only if they saw the same
 * even value before and after.
 *
 * <p>Fences, in Linux's terms: the writer stores the odd value, then {@code smp_wmb()} (a
 * StoreStore fence) so no data store is seen before it; after the data, the even value is a
 * release store ({@code smp_wmb()} then store). The reader loads the word with acquire semantics
 * ({@code smp_rmb()} after the load), copies, then {@code smp_rmb()} (a LoadLoad fence) before it
 * loads the word again. On x86-64 all four are compiler barriers only.
 *
 * <p>A reader never waits for the writer: it gives up after a bounded number of attempts (the
 * caller says how many), so a writer that died halfway or a hostile writer that keeps the word
 * odd costs the reader that many copies, never a hang.
 *
 * <p>Thread safety: stateless. {@link #beginWrite}/{@link #endWrite} from the one writer thread of
 * the word; the read methods from any thread.
 */
public final class Seqlock
{
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private Seqlock()
    {
    }

    /**
     * Writer: make the sequence odd before writing the data.
     *
     * @param segment the shared memory.
     * @param offset  offset of the u32 sequence word (4-byte aligned).
     * @return the odd value stored; pass it to {@link #endWrite}.
     */
    public static int beginWrite(final MemorySegment segment, final long offset)
    {
        final int odd = (int)INT.getVolatile(segment, offset) | 1;
        INT.setVolatile(segment, offset, odd);
        VarHandle.storeStoreFence();
        return odd;
    }

    /**
     * Writer: publish the data written since {@link #beginWrite}.
     *
     * @param segment the shared memory.
     * @param offset  offset of the sequence word.
     * @param odd     what {@link #beginWrite} returned.
     * @return the new even sequence.
     */
    public static int endWrite(final MemorySegment segment, final long offset, final int odd)
    {
        final int even = odd + 1;
        INT.setRelease(segment, offset, even);
        return even;
    }

    /**
     * Reader: the sequence before copying (acquire). An odd value means an update is in progress.
     *
     * @param segment the shared memory.
     * @param offset  offset of the sequence word.
     * @return the sequence.
     */
    public static int readBegin(final MemorySegment segment, final long offset)
    {
        return (int)INT.getAcquire(segment, offset);
    }

    /**
     * Reader: after copying, whether the copy is consistent.
     *
     * @param segment the shared memory.
     * @param offset  offset of the sequence word.
     * @param begin   what {@link #readBegin} returned (even).
     * @return {@code true} when the sequence is still {@code begin}: no write overlapped the copy.
     */
    public static boolean readValid(final MemorySegment segment, final long offset, final int begin)
    {
        VarHandle.loadLoadFence();
        return (int)INT.getVolatile(segment, offset) == begin;
    }

    /**
     * Reader: back off between attempts: spin a few times, then yield the thread so a writer
     * preempted mid-update on a busy machine can finish.
     *
     * @param attempt attempts made so far.
     */
    public static void backOff(final int attempt)
    {
        if (attempt < 16)
        {
            Thread.onSpinWait();
        }
        else
        {
            Thread.yield();
        }
    }

    /**
     * @param sequence a sequence value.
     * @return whether it is odd: a write is in progress (or a writer died mid-update).
     */
    public static boolean isWriting(final int sequence)
    {
        return (sequence & 1) != 0;
    }
}
