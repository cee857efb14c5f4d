package org.coopvm.rings.domain;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.coopvm.rings.domain.SharedInfoDescriptor.*;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.*;

/**
 * Flyweight over a shared info payload ({@link SharedInfoDescriptor}) giving Xen's 2-level event
 * channel operations to both sides.
 *
 * <p>Host: {@link #setPending(int, int)} and {@link #unmask(int, int)} return {@code true} when
 * the caller must kick the vCPU (full fence, then {@code wakeIfSleeping()} on its doorbell).
 * Guest: {@link #dispatch(int, PortHandler)} from the vCPU's upcall, {@link #mask(int)},
 * {@link #isPending(int)}.
 *
 * <p>Every bit change is one atomic read-modify-write on the whole u64 word
 * ({@code lock or}/{@code lock and}/{@code xchg} on x86-64, full fences), so each side's
 * update is wait-free: a guest that hammers its own words cannot stall the host. Any atomic
 * read-modify-write (a CAS loop in another language) interoperates with these.
 *
 * <p>Thread safety: all methods may be called from any thread of either side; the flyweight
 * itself holds no mutable state after {@link #wrap}.
 */
public final class EventChannelBits
{
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private MemorySegment payload;

    /**
     * @param sharedInfoPayload the shared info region's payload, at least
     *                          {@link SharedInfoDescriptor#PAYLOAD_LENGTH} bytes, 8-byte aligned.
     * @return this flyweight.
     */
    public EventChannelBits wrap(final MemorySegment sharedInfoPayload)
    {
        if (sharedInfoPayload.byteSize() < PAYLOAD_LENGTH || (sharedInfoPayload.address() & 7) != 0)
        {
            throw new IllegalArgumentException("shared info payload must be >= " + PAYLOAD_LENGTH + " bytes, 8-byte aligned");
        }
        this.payload = sharedInfoPayload;
        return this;
    }

    /**
     * Host: mark {@code port} pending and, unless it is masked, flag the upcall on {@code vcpu}.
     *
     * @param port 0..4095.
     * @param vcpu the vCPU the port is bound to, 0..31.
     * @return {@code true} when the vCPU's selector bit was newly set: kick the vCPU.
     */
    public boolean setPending(final int port, final int vcpu)
    {
        final long bit = bit(checkPort(port));
        final long old = (long)LONG.getAndBitwiseOr(payload, pendingWordOffset(port), bit);
        if ((old & bit) != 0 || isMasked(port))
        {
            return false;
        }
        return markSelector(port >>> 6, checkVcpu(vcpu));
    }

    /**
     * Host (EVTCHNOP_unmask) or guest: clear the mask bit; if the port is pending, redo the
     * selector/upcall step so that an edge that arrived while masked is not lost.
     *
     * @param port 0..4095.
     * @param vcpu the vCPU the port is bound to.
     * @return {@code true} when the vCPU's selector bit was newly set: kick the vCPU.
     */
    public boolean unmask(final int port, final int vcpu)
    {
        final long bit = bit(checkPort(port));
        final long maskBefore = (long)LONG.getAndBitwiseAnd(payload, maskWordOffset(port), ~bit);
        if (!isPending(port))
        {
            return false;
        }
        return markSelector(port >>> 6, checkVcpu(vcpu));
    }

    /**
     * Guest: mask a port (events still become pending, but raise no upcall).
     *
     * @param port 0..4095.
     */
    public void mask(final int port)
    {
        final long maskBefore = (long)LONG.getAndBitwiseOr(payload, maskWordOffset(checkPort(port)), bit(port));
    }

    /**
     * Either side: clear a port's pending bit (the host does it when the port is closed).
     *
     * @param port 0..4095.
     * @return whether it was pending.
     */
    public boolean clearPending(final int port)
    {
        final long bit = bit(checkPort(port));
        return ((long)LONG.getAndBitwiseAnd(payload, pendingWordOffset(port), ~bit) & bit) != 0;
    }

    /**
     * @param port 0..4095.
     * @return whether the pending bit is set (volatile read).
     */
    public boolean isPending(final int port)
    {
        return ((long)LONG.getVolatile(payload, pendingWordOffset(checkPort(port))) & bit(port)) != 0;
    }

    /**
     * @param port 0..4095.
     * @return whether the mask bit is set (volatile read).
     */
    public boolean isMasked(final int port)
    {
        return ((long)LONG.getVolatile(payload, maskWordOffset(checkPort(port))) & bit(port)) != 0;
    }

    /**
     * Guest, on vCPU {@code vcpu}: clear upcall_pending (then a full fence), take the selector
     * (swap with 0), and for every word it names, atomically clear each pending and unmasked
     * bit and hand its port to the handler.
     *
     * @param vcpu    the calling vCPU.
     * @param handler called once per port whose pending bit this call cleared.
     * @return ports dispatched.
     */
    public int dispatch(final int vcpu, final PortHandler handler)
    {
        final long vcpuInfo = vcpuInfoOffset(checkVcpu(vcpu));
        INT.setRelease(payload, vcpuInfo + UPCALL_PENDING_OFFSET, 0);
        VarHandle.fullFence();
        long selector = (long)LONG.getAndSet(payload, vcpuInfo + PENDING_SEL_OFFSET, 0L);
        int dispatched = 0;
        while (selector != 0)
        {
            final int word = Long.numberOfTrailingZeros(selector);
            selector &= selector - 1;
            dispatched += dispatchWord(word, handler);
        }
        return dispatched;
    }

    /**
     * @param vcpu 0..31.
     * @return upcall_pending of that vCPU (acquire load): the host set a selector bit since the
     *         guest's last dispatch.
     */
    public boolean isUpcallPending(final int vcpu)
    {
        return (int)INT.getAcquire(payload, vcpuInfoBase(vcpu) + UPCALL_PENDING_OFFSET) != 0;
    }

    /**
     * Guest: set or clear upcall_mask of a vCPU (the guest's "interrupts disabled").
     *
     * @param vcpu   0..31.
     * @param masked whether upcalls are masked.
     */
    public void upcallMask(final int vcpu, final boolean masked)
    {
        INT.setRelease(payload, vcpuInfoBase(vcpu) + UPCALL_MASK_OFFSET, masked ? 1 : 0);
    }

    /**
     * @param vcpu 0..31.
     * @return whether upcall_mask is set.
     */
    public boolean isUpcallMasked(final int vcpu)
    {
        return (int)INT.getAcquire(payload, vcpuInfoBase(vcpu) + UPCALL_MASK_OFFSET) != 0;
    }

    /**
     * @param vcpu 0..31.
     * @return evtchn_pending_sel of that vCPU (volatile read).
     */
    public long pendingSelector(final int vcpu)
    {
        return (long)LONG.getVolatile(payload, vcpuInfoBase(vcpu) + PENDING_SEL_OFFSET);
    }

    private int dispatchWord(final int word, final PortHandler handler)
    {
        final long pendingOffset = EVTCHN_PENDING_OFFSET + word * 8L;
        long bits = (long)LONG.getVolatile(payload, pendingOffset) &
            ~(long)LONG.getVolatile(payload, EVTCHN_MASK_OFFSET + word * 8L);
        int dispatched = 0;
        while (bits != 0)
        {
            final long bit = Long.lowestOneBit(bits);
            bits &= bits - 1;
            if (((long)LONG.getAndBitwiseAnd(payload, pendingOffset, ~bit) & bit) != 0)
            {
                dispatched++;
                handler.onEvent(word * 64 + Long.numberOfTrailingZeros(bit));
            }
        }
        return dispatched;
    }

    private boolean markSelector(final int word, final int vcpu)
    {
        final long vcpuInfo = vcpuInfoOffset(vcpu);
        final long wordBit = 1L << word;
        final long old = (long)LONG.getAndBitwiseOr(payload, vcpuInfo + PENDING_SEL_OFFSET, wordBit);
        if ((old & wordBit) != 0)
        {
            return false;
        }
        INT.setRelease(payload, vcpuInfo + UPCALL_PENDING_OFFSET, 1);
        return true;
    }

    /** @return the checked vCPU's vcpu_info offset, as the long the var handles take (an int coordinate would be adapted on every call). */
    private static long vcpuInfoBase(final int vcpu)
    {
        return vcpuInfoOffset(checkVcpu(vcpu));
    }

    private static long pendingWordOffset(final int port)
    {
        return EVTCHN_PENDING_OFFSET + (long)(port >>> 6) * 8;
    }

    private static long maskWordOffset(final int port)
    {
        return EVTCHN_MASK_OFFSET + (long)(port >>> 6) * 8;
    }

    private static long bit(final int port)
    {
        return 1L << (port & 63);
    }

    private static int checkPort(final int port)
    {
        if (port < 0 || port >= NR_EVENT_CHANNELS)
        {
            throw new IllegalArgumentException("port " + port + " outside 0.." + (NR_EVENT_CHANNELS - 1));
        }
        return port;
    }

    private static int checkVcpu(final int vcpu)
    {
        if (vcpu < 0 || vcpu >= SharedInfoDescriptor.MAX_VCPUS)
        {
            throw new IllegalArgumentException("vcpu " + vcpu + " outside 0.." + (SharedInfoDescriptor.MAX_VCPUS - 1));
        }
        return vcpu;
    }

    /** Called by {@link #dispatch} for each port it took; runs on the dispatching vCPU's thread. */
    @FunctionalInterface
    public interface PortHandler
    {
        /**
         * @param port the port whose pending bit was just cleared.
         */
        void onEvent(int port);
    }
}
