package org.coopvm.rings.doorbell;

import org.agrona.concurrent.AtomicBuffer;

import static org.coopvm.rings.doorbell.PeerLivenessDescriptor.*;

/**
 * Flyweight over one {@link PeerLivenessDescriptor liveness slot}: the owning endpoint
 * {@link #attach attaches}, {@link #heartbeat heartbeats} and {@link #markClosed closes}; its
 * peer asks {@link #isGone} while waiting.
 *
 * <p>A peer is gone when its slot says CLOSED, when the process recorded in the slot is not
 * this one and no longer runs, or (when a heartbeat timeout is configured) when its heartbeat
 * is older than the timeout. An ABSENT slot (nobody attached yet) is not gone. A pid reused by
 * the operating system for a new process can hide a death until the heartbeat goes stale;
 * configure a heartbeat timeout where that matters.
 *
 * <p>Thread safety: the owner's writes come from the owning endpoint's thread; reads are
 * snapshots and may come from any thread or process.
 */
public final class PeerLiveness
{
    private static final long SELF_PID = ProcessHandle.current().pid();

    private AtomicBuffer buffer;
    private int offset;

    /**
     * @param buffer the shared memory holding the slot.
     * @param offset where the slot starts, 8-byte aligned.
     * @return this flyweight.
     */
    public PeerLiveness wrap(final AtomicBuffer buffer, final int offset)
    {
        buffer.boundsCheck(offset, SLOT_LENGTH);
        if ((offset & 7) != 0)
        {
            throw new IllegalArgumentException("liveness slot offset must be 8-byte aligned: " + offset);
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Owner: claim the slot for this process, bump the epoch and publish ALIVE.
     *
     * @param nowMs the current time from the endpoint's clock, in epoch milliseconds.
     * @return the new epoch.
     */
    public int attach(final long nowMs)
    {
        buffer.putLong(offset + PID_OFFSET, SELF_PID);
        buffer.putLong(offset + HEARTBEAT_OFFSET, nowMs);
        final int epoch = buffer.getAndAddInt(offset + EPOCH_OFFSET, 1) + 1;
        buffer.putIntRelease(offset + STATE_OFFSET, STATE_ALIVE);
        return epoch;
    }

    /**
     * Owner: record that it is still alive.
     *
     * @param nowMs the current time from the endpoint's clock, in epoch milliseconds.
     */
    public void heartbeat(final long nowMs)
    {
        buffer.putLongRelease(offset + HEARTBEAT_OFFSET, nowMs);
    }

    /** Owner: publish CLOSED. The caller then wakes the doorbell its peer may sleep on. */
    public void markClosed()
    {
        buffer.putIntRelease(offset + STATE_OFFSET, STATE_CLOSED);
    }

    /**
     * Peer: is the owner gone?
     *
     * @param nowMs              the current time, same clock as the owner's heartbeats.
     * @param heartbeatTimeoutMs how old a heartbeat may be; 0 or less disables the check.
     * @return {@code true} when the owner closed, its process died, or its heartbeat is stale.
     */
    public boolean isGone(final long nowMs, final long heartbeatTimeoutMs)
    {
        final int state = state();
        if (state == STATE_CLOSED)
        {
            return true;
        }
        if (state != STATE_ALIVE)
        {
            return false;
        }
        return isProcessDead(pid()) || (heartbeatTimeoutMs > 0 && nowMs - heartbeatMs() > heartbeatTimeoutMs);
    }

    /** @return {@code true} when the slot says CLOSED; a single acquire load, cheap enough for hot paths. */
    public boolean isClosed()
    {
        return state() == STATE_CLOSED;
    }

    /** @return the state, one of {@code PeerLivenessDescriptor.STATE_*} (acquire load). */
    public int state()
    {
        return buffer.getIntAcquire(offset + STATE_OFFSET);
    }

    /** @return the pid recorded by the last attach, 0 if none. */
    public long pid()
    {
        return buffer.getLongVolatile(offset + PID_OFFSET);
    }

    /** @return the attach epoch: a waiter that saw another epoch knows the peer restarted. */
    public int epoch()
    {
        return buffer.getIntVolatile(offset + EPOCH_OFFSET);
    }

    /** @return the last heartbeat in epoch milliseconds. */
    public long heartbeatMs()
    {
        return buffer.getLongVolatile(offset + HEARTBEAT_OFFSET);
    }

    private static boolean isProcessDead(final long pid)
    {
        return pid != SELF_PID && pid > 0 && ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true);
    }
}
