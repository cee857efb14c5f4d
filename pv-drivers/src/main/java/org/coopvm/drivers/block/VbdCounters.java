package org.coopvm.drivers.block;

import org.coopvm.rings.blkif.BlkifRequestDescriptor;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One virtual disk's counters, kept across reconnections: requests by operation, errors by
 * {@link BlockError}, bytes moved, flushes, grant maps, notifications and disconnections of a
 * hostile frontend. Written by the device's ring agent (and the control agent), read by metrics
 * and tests.
 *
 * <p>Thread safety: any thread (atomic counters).
 */
public final class VbdCounters
{
    /** Operations counted by name; every other operation byte counts as {@code other}. */
    static final int[] OPERATIONS = {
        BlkifRequestDescriptor.OP_READ, BlkifRequestDescriptor.OP_WRITE, BlkifRequestDescriptor.OP_WRITE_BARRIER,
        BlkifRequestDescriptor.OP_FLUSH_DISKCACHE, BlkifRequestDescriptor.OP_DISCARD};
    private static final int OTHER = OPERATIONS.length;
    private static final BlockError[] ERRORS = BlockError.values();

    private final AtomicLongArray requests = new AtomicLongArray(OPERATIONS.length + 1);
    private final AtomicLongArray errors = new AtomicLongArray(ERRORS.length);
    private final AtomicLongArray values = new AtomicLongArray(Value.values().length);

    /** Counted quantities other than requests and errors. */
    public enum Value
    {
        /** Bytes read from the image into guest pages. */
        BYTES_READ,
        /** Bytes written from guest pages to the image. */
        BYTES_WRITTEN,
        /** {@code FileChannel.force} calls (flushes and barriers). */
        FORCES,
        /** Grant mappings made (persistent ones once). */
        GRANT_MAPS,
        /** Indirect requests served ({@code BLKIF_OP_INDIRECT}; also counted as their read or write). */
        INDIRECT_REQUESTS,
        /** Segments served by a persistent mapping made before. */
        PERSISTENT_HITS,
        /** Notifications sent to the frontend. */
        NOTIFICATIONS,
        /** Times a hostile frontend was disconnected (producer index overrun). */
        HOSTILE_DISCONNECTS,
        /** Times the frontend connected. */
        CONNECTS,
        /** Rounds of the ring agent that served at least one request (requests per batch = requests / batches). */
        BATCHES,
        /** Times the ring agent found the ring empty after its poll and went to sleep until the frontend notifies. */
        AGENT_PARKS,
        /** Exceptions the ring agent caught (a dom0 bug; should stay 0). */
        AGENT_ERRORS
    }

    /** @param operation the request's operation byte. */
    void request(final int operation)
    {
        requests.incrementAndGet(operationIndex(operation));
    }

    /** @param error why a request was refused or failed. */
    void error(final BlockError error)
    {
        errors.incrementAndGet(error.ordinal());
    }

    /**
     * @param value what.
     * @param delta how much more.
     */
    void add(final Value value, final long delta)
    {
        values.addAndGet(value.ordinal(), delta);
    }

    /**
     * @param operation an operation byte ({@code OP_*}); others read the {@code other} count.
     * @return requests with that operation.
     */
    public long requests(final int operation)
    {
        return requests.get(operationIndex(operation));
    }

    /** @return requests of every operation. */
    public long requests()
    {
        long sum = 0;
        for (int i = 0; i < requests.length(); i++)
        {
            sum += requests.get(i);
        }
        return sum;
    }

    /**
     * @param error a reason.
     * @return requests refused or failed for it.
     */
    public long errors(final BlockError error)
    {
        return errors.get(error.ordinal());
    }

    /** @return requests refused or failed for any reason. */
    public long errors()
    {
        long sum = 0;
        for (final BlockError error : ERRORS)
        {
            sum += errors(error);
        }
        return sum;
    }

    /**
     * @param value what.
     * @return its count.
     */
    public long value(final Value value)
    {
        return values.get(value.ordinal());
    }

    private static int operationIndex(final int operation)
    {
        for (int i = 0; i < OPERATIONS.length; i++)
        {
            if (OPERATIONS[i] == operation)
            {
                return i;
            }
        }
        return OTHER;
    }
}
