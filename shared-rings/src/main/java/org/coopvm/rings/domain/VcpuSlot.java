package org.coopvm.rings.domain;

import org.agrona.concurrent.AtomicBuffer;

import static org.coopvm.rings.domain.SharedInfoDescriptor.vcpuInfoOffset;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.*;

/**
 * Flyweight over one vCPU's physical CPU slot words in its vcpu_info ({@link VcpuInfoDescriptor}):
 * the handshake between the host's CPU scheduler and a guest vCPU. The vCPU holds a slot while
 * the grant sequence (host) and the release sequence (guest) differ.
 *
 * <p>Guest (the vCPU's own thread): to run, {@link #request} {@code RUNNABLE}, ring the host's
 * scheduler doorbell, and wait on the vCPU's doorbell until {@link #holds()}; to stop running,
 * {@link #release} with a request ({@code IDLE}, {@code RUNNABLE} after a preemption, {@code YIELD})
 * and ring the scheduler doorbell; at each safe point look at {@link #preemptRequested()}.
 * Host (the scheduler's thread): {@link #grant} (clears the preempt flag, writes the slot number,
 * then the grant sequence with release), then a full fence and a ring of the vCPU's doorbell;
 * read {@link #releaseSeq()} and {@link #request()} to see what the guest did;
 * {@link #preempt(boolean)} to ask for the slot back.
 *
 * <p>Ordering: every publishing store is a release store and every store a peer must see before
 * a doorbell check is followed by the doorbell's full fence ({@code wakeIfSleeping}), so the
 * Doorbell protocol (announce, re-check, sleep) loses no grant and no release.
 *
 * <p>Thread safety: a flyweight; the guest methods from the vCPU's thread, the host methods from
 * the scheduler's thread. Each side writes only its own words.
 */
public final class VcpuSlot
{
    private AtomicBuffer buffer;
    private int base;

    /**
     * @param sharedInfoPayload the shared info region's payload.
     * @param vcpu              0..{@link SharedInfoDescriptor#MAX_VCPUS}-1.
     * @return this flyweight.
     */
    public VcpuSlot wrap(final AtomicBuffer sharedInfoPayload, final int vcpu)
    {
        if (vcpu < 0 || vcpu >= SharedInfoDescriptor.MAX_VCPUS)
        {
            throw new IllegalArgumentException("vcpu " + vcpu + " outside 0.." + (SharedInfoDescriptor.MAX_VCPUS - 1));
        }
        sharedInfoPayload.boundsCheck(vcpuInfoOffset(vcpu), VCPU_INFO_LENGTH);
        this.buffer = sharedInfoPayload;
        this.base = vcpuInfoOffset(vcpu);
        return this;
    }

    // ---------------------------------------------------------------- guest

    /** Guest: @return whether the vCPU holds a slot (the grant sequence differs from its release sequence). */
    public boolean holds()
    {
        return buffer.getIntAcquire(base + SLOT_GRANT_SEQ_OFFSET) != buffer.getIntVolatile(base + SLOT_RELEASE_SEQ_OFFSET);
    }

    /**
     * Guest: say what the vCPU wants (release store). Ring the scheduler doorbell afterwards.
     *
     * @param request one of the {@code VcpuInfoDescriptor.SLOT_REQUEST_*} values.
     */
    public void request(final int request)
    {
        buffer.putIntRelease(base + SLOT_REQUEST_OFFSET, request);
    }

    /**
     * Guest: give the slot back, if held, with a request: the request first, then the release
     * sequence set to the grant sequence (release stores, in that order). Ring the scheduler
     * doorbell afterwards.
     *
     * @param request one of the {@code VcpuInfoDescriptor.SLOT_REQUEST_*} values.
     * @return whether a slot was held.
     */
    public boolean release(final int request)
    {
        request(request);
        final int granted = buffer.getIntAcquire(base + SLOT_GRANT_SEQ_OFFSET);
        if (granted == buffer.getIntVolatile(base + SLOT_RELEASE_SEQ_OFFSET))
        {
            return false;
        }
        buffer.putIntRelease(base + SLOT_RELEASE_SEQ_OFFSET, granted);
        return true;
    }

    /** Guest: @return whether the host asks for the slot back (the preempt flag). */
    public boolean preemptRequested()
    {
        return (buffer.getIntVolatile(base + CONTROL_FLAGS_OFFSET) & CONTROL_PREEMPT_REQUESTED) != 0;
    }

    /** @param tid the vCPU thread's native (Linux) thread id, published for the host's CPU accounting. */
    public void publishNativeTid(final int tid)
    {
        buffer.putIntRelease(base + NATIVE_TID_OFFSET, tid);
    }

    /** @return the slot the latest grant gave (meaningful while {@link #holds()}). */
    public int slotNumber()
    {
        return buffer.getIntVolatile(base + SLOT_NUMBER_OFFSET);
    }

    // ---------------------------------------------------------------- host

    /**
     * Host: grant a slot: clear the preempt flag, write the slot number, then bump the grant
     * sequence with a release store. Ring the vCPU's doorbell afterwards ({@code wakeIfSleeping}).
     *
     * @param slot the slot number.
     * @return the new grant sequence.
     */
    public int grant(final int slot)
    {
        preempt(false);
        buffer.putIntRelease(base + SLOT_NUMBER_OFFSET, slot);
        final int seq = buffer.getIntVolatile(base + SLOT_GRANT_SEQ_OFFSET) + 1;
        buffer.putIntRelease(base + SLOT_GRANT_SEQ_OFFSET, seq);
        return seq;
    }

    /** Host: @return the grant sequence (the host's own word). */
    public int grantSeq()
    {
        return buffer.getIntVolatile(base + SLOT_GRANT_SEQ_OFFSET);
    }

    /** Host: @return the guest's release sequence (acquire load; read once, then compare). */
    public int releaseSeq()
    {
        return buffer.getIntAcquire(base + SLOT_RELEASE_SEQ_OFFSET);
    }

    /** Host: @return the guest's request word as stored (untrusted: any u32). */
    public int request()
    {
        return buffer.getIntVolatile(base + SLOT_REQUEST_OFFSET);
    }

    /** Host: @return the native thread id the guest published (untrusted: any u32, 0 = none). */
    public int nativeTid()
    {
        return buffer.getIntVolatile(base + NATIVE_TID_OFFSET);
    }

    /**
     * Host: raise or clear the preempt flag (the host is the only writer of the control flags).
     *
     * @param requested whether the vCPU should give its slot back at its next safe point.
     */
    public void preempt(final boolean requested)
    {
        final int flags = buffer.getIntVolatile(base + CONTROL_FLAGS_OFFSET);
        final int updated = requested ? flags | CONTROL_PREEMPT_REQUESTED : flags & ~CONTROL_PREEMPT_REQUESTED;
        if (updated != flags)
        {
            buffer.putIntRelease(base + CONTROL_FLAGS_OFFSET, updated);
        }
    }
}
