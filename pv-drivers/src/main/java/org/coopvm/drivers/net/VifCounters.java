package org.coopvm.drivers.net;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One vif's counters in dom0: frames and bytes each way, drops by reason, disconnects.
 *
 * <p>Thread safety: any thread (atomic adds).
 */
public final class VifCounters
{
    /** What is counted. */
    public enum Value
    {
        /** Frames the guest sent and the switch took. */
        TX_FRAMES,
        /** Bytes of those frames. */
        TX_BYTES,
        /** Frames copied into the guest's posted buffers. */
        RX_FRAMES,
        /** Bytes of those frames. */
        RX_BYTES,
        /** Tx requests refused: size below 14 or above MTU + 14 (oversized or truncated). */
        DROPPED_BAD_SIZE,
        /** Tx requests refused: offset + size past the page. */
        DROPPED_BAD_OFFSET,
        /** Tx requests refused: more_data or extra_info (no scatter-gather). */
        DROPPED_BAD_FLAGS,
        /** Tx requests whose grant did not map. */
        BAD_GRANTS,
        /** Frames for this guest dropped: its receive queue was full (it posts buffers too slowly). */
        DROPPED_RX_FULL,
        /** Rx requests whose grant did not map (the frame is dropped). */
        BAD_RX_GRANTS,
        /** Times the tx queue waited for the rate limiter. */
        RATE_LIMITED,
        /** Connections made. */
        CONNECTS,
        /** Disconnects because the frontend overran a ring. */
        HOSTILE_DISCONNECTS,
        /** Notifications sent to the guest. */
        NOTIFICATIONS,
        /** Exceptions the vif's agent caught (should stay 0). */
        AGENT_ERRORS,
        /** Notifications from the frontend (each one may wake the vif's agent). */
        FRONTEND_EVENTS,
        /** Times the vif's agent parked (polled out, asked to be notified, slept). */
        AGENT_PARKS,
        /** Batches of tx requests answered with one push: TX_FRAMES / TX_BATCHES is frames per batch. */
        TX_BATCHES,
        /** Batches of frames copied into the guest's posted buffers with one push of responses. */
        RX_BATCHES,
        /** Frames that found no rx buffer posted and waited in the vif's receive queue. */
        RX_QUEUED
    }

    private final AtomicLongArray values = new AtomicLongArray(Value.values().length);

    /**
     * @param value what.
     * @param delta how much.
     */
    public void add(final Value value, final long delta)
    {
        values.addAndGet(value.ordinal(), delta);
    }

    /**
     * @param value what.
     * @return its count.
     */
    public long get(final Value value)
    {
        return values.get(value.ordinal());
    }

    /** @return frames dropped for a malformed tx request (size, offset, flags). */
    public long malformed()
    {
        return get(Value.DROPPED_BAD_SIZE) + get(Value.DROPPED_BAD_OFFSET) + get(Value.DROPPED_BAD_FLAGS);
    }

    /** @return every count by name. */
    public Map<Value, Long> snapshot()
    {
        final Map<Value, Long> snapshot = new EnumMap<>(Value.class);
        for (final Value value : Value.values())
        {
            snapshot.put(value, get(value));
        }
        return snapshot;
    }
}
