package org.coopvm.hypervisor.xenstore.transport;

import org.coopvm.rings.xenstore.XsMessage;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Encoded messages waiting to go to one client, bounded in bytes. Filled by xenstored's sink
 * (any thread, under xenstored's lock), drained by the transport thread.
 *
 * <p>Thread safety: all methods synchronized.
 */
final class OutputQueue
{
    private final Queue<byte[]> messages = new ArrayDeque<>();
    private final int maxBytes;
    private byte[] current;
    private int currentOffset;
    private long queuedBytes;
    private boolean overflowed;

    OutputQueue(final int maxBytes)
    {
        this.maxBytes = maxBytes;
    }

    /** Queues a message; past the bound the queue is marked overflowed and drops it. */
    synchronized void offer(final XsMessage message)
    {
        final byte[] bytes = message.encode();
        if (queuedBytes + bytes.length > maxBytes)
        {
            overflowed = true;
            return;
        }
        queuedBytes += bytes.length;
        messages.add(bytes);
    }

    /** @return true once a message was dropped for lack of room. */
    synchronized boolean overflowed()
    {
        return overflowed;
    }

    /** @return bytes queued. */
    synchronized long queuedBytes()
    {
        return queuedBytes;
    }

    /**
     * Hands queued bytes to a writer until it takes less than offered.
     *
     * @param writer writes from (array, offset, length), returns bytes taken.
     * @return bytes taken in all.
     */
    synchronized int drainTo(final Writer writer) throws java.io.IOException
    {
        int total = 0;
        while (true)
        {
            if (current == null)
            {
                current = messages.poll();
                currentOffset = 0;
                if (current == null)
                {
                    return total;
                }
            }
            final int length = current.length - currentOffset;
            final int taken = writer.write(current, currentOffset, length);
            total += Math.max(taken, 0);
            if (taken < length)
            {
                currentOffset += Math.max(taken, 0);
                queuedBytes -= Math.max(taken, 0);
                return total;
            }
            queuedBytes -= length;
            current = null;
        }
    }

    /** @return true when nothing waits. */
    synchronized boolean empty()
    {
        return current == null && messages.isEmpty();
    }

    /** Takes bytes from a queue. */
    @FunctionalInterface
    interface Writer
    {
        int write(byte[] bytes, int offset, int length) throws java.io.IOException;
    }
}
