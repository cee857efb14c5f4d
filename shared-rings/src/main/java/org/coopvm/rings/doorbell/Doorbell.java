package org.coopvm.rings.doorbell;

import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;

import static org.coopvm.rings.doorbell.DoorbellDescriptor.*;

/**
 * Flyweight over a {@link DoorbellDescriptor doorbell} in a shared region: an eventcount on a
 * futex word that works across processes.
 *
 * <p>Consumer protocol:
 * <pre>{@code
 * final int key = doorbell.prepareToSleep();   // read sequence, then sleepers++ (full fence)
 * if (workAvailable())                          // re-check AFTER announcing the sleep
 * {
 *     doorbell.cancelSleep();                   // sleepers--
 * }
 * else
 * {
 *     doorbell.sleep(key, timeoutNs);           // futex wait while sequence == key, then sleepers--
 * }
 * }</pre>
 * Producer protocol: publish the work (release store), then {@link #wakeIfSleeping()}.
 *
 * <p><b>Why no wake-up is lost.</b> This is Dekker's pattern. The consumer stores
 * {@code sleepers + 1} then loads the work condition; the producer stores the work then loads
 * {@code sleepers}; each side puts a full fence between its store and its load. Under any
 * interleaving at least one side sees the other's store: either the consumer's re-check sees
 * the work (and cancels), or the producer sees {@code sleepers > 0} and wakes. A wake bumps the
 * sequence atomically before calling {@code FUTEX_WAKE}; the consumer read its key before
 * announcing itself, so the bump makes the sequence differ from the key. The kernel compares
 * the futex word with the key under its hash-bucket lock: a consumer that has not yet entered
 * {@code FUTEX_WAIT} returns at once, and one already inside it is woken. Both cases end the
 * sleep.
 *
 * <p>A consumer that dies asleep leaves {@code sleepers} raised: producers then pay a wake
 * they do not need, which is safe. The sleep's timeout bounds every wait in any case.
 *
 * <p>Thread safety: a flyweight; wrap one per thread or share one after wrapping. All
 * operations are atomic on the shared words and may be called from any thread or process.
 */
public final class Doorbell
{
    private AtomicBuffer buffer;
    private int offset;
    private long sequenceAddress;

    /**
     * Wrap the doorbell at {@code offset} in {@code buffer}.
     *
     * @param buffer the shared memory; must be native memory (a mapping), not a heap array.
     * @param offset where the doorbell starts; a multiple of {@link DoorbellDescriptor#ALIGNMENT}
     *               from a 64-byte aligned address.
     * @return this flyweight.
     */
    public Doorbell wrap(final AtomicBuffer buffer, final int offset)
    {
        buffer.boundsCheck(offset, DOORBELL_LENGTH);
        final long address = buffer.addressOffset() + offset;
        if (buffer.byteArray() != null || (address & (ALIGNMENT - 1)) != 0)
        {
            throw new IllegalArgumentException("doorbell needs native memory aligned to " + ALIGNMENT + " bytes: " + address);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.sequenceAddress = address + SEQUENCE_OFFSET;
        return this;
    }

    /**
     * Consumer: announce that it is about to sleep. Reads the sequence, then increments the
     * sleepers with a full fence. The caller must then re-check its condition and call either
     * {@link #cancelSleep()} or {@link #sleep(int, long)}.
     *
     * @return the key to pass to {@link #sleep(int, long)}.
     */
    public int prepareToSleep()
    {
        final int key = buffer.getIntVolatile(offset + SEQUENCE_OFFSET);
        buffer.getAndAddInt(offset + SLEEPERS_OFFSET, 1);
        return key;
    }

    /** Consumer: the re-check found work; withdraw the announcement of {@link #prepareToSleep()}. */
    public void cancelSleep()
    {
        buffer.getAndAddInt(offset + SLEEPERS_OFFSET, -1);
    }

    /**
     * Consumer: sleep until a wake, the timeout, a signal or a spurious return, then withdraw
     * the announcement. Callers re-check their condition afterwards.
     *
     * @param key       the value {@link #prepareToSleep()} returned.
     * @param timeoutNs the longest sleep in nanoseconds; negative for no limit.
     * @return {@code true} when a wake ended the sleep.
     */
    public boolean sleep(final int key, final long timeoutNs)
    {
        try
        {
            return Futex.await(sequenceAddress, key, timeoutNs);
        }
        finally
        {
            buffer.getAndAddInt(offset + SLEEPERS_OFFSET, -1);
        }
    }

    /**
     * Producer: wake every sleeper, unconditionally. Bumps the sequence (atomic), then calls
     * {@code FUTEX_WAKE}. Used when closing, where the cost does not matter.
     *
     * @return how many sleepers the kernel woke.
     */
    public int wake()
    {
        buffer.getAndAddInt(offset + SEQUENCE_OFFSET, 1);
        buffer.getAndAddLong(offset + WAKES_OFFSET, 1);
        return Futex.wake(sequenceAddress, Integer.MAX_VALUE);
    }

    /**
     * Producer: after publishing work, wake the consumer only if it announced that it sleeps
     * (notification suppression): a full fence, then a load of the sleepers, then
     * {@link #wake()} when there are any. The fence orders the publishing store before that load.
     *
     * @return {@code true} when a wake was issued.
     */
    public boolean wakeIfSleeping()
    {
        VarHandle.fullFence();
        if (buffer.getIntVolatile(offset + SLEEPERS_OFFSET) != 0)
        {
            wake();
            return true;
        }
        return false;
    }

    /** @return the consumers currently announced as sleeping (a snapshot). */
    public int sleepers()
    {
        return buffer.getIntVolatile(offset + SLEEPERS_OFFSET);
    }

    /** @return the wake sequence (a snapshot). */
    public int sequence()
    {
        return buffer.getIntVolatile(offset + SEQUENCE_OFFSET);
    }

    /** @return how many wakes were issued on this doorbell, by every process. */
    public long wakes()
    {
        return buffer.getLongVolatile(offset + WAKES_OFFSET);
    }
}
