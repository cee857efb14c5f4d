package org.coopvm.guest.hypercall;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.MessageHandler;
import org.coopvm.guest.task.Vcpu;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.channel.ChannelProducer;
import org.coopvm.rings.channel.OfferResult;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.doorbell.WakeCondition;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.HypercallDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.HypercallResponseDescriptor;

import java.util.function.BooleanSupplier;

/**
 * One vCPU's end of the hypercall transport: writes a request (call id, vCPU, sub-command,
 * arguments) on the domain's hypercall channel, rings the host doorbell, then waits on the vCPU's
 * own response channel for the response with the same call id (spins briefly, then sleeps on the
 * channel's doorbell). Calls are synchronous: one outstanding call per vCPU.
 *
 * <p>A vCPU waiting for an answer runs no guest code, so it is at a safe point: when the host asks
 * for its CPU slot meanwhile (a dispatcher slow to answer on a busy host), it gives the slot back
 * (blocked) and asks for it again once the answer is there, before its caller goes on. Without
 * that, the host's own delay counted as the guest keeping its slot past its slice.
 *
 * <p>Thread safety: only the owning vCPU thread. {@link #args()} and {@link #output()} are this
 * vCPU's scratch buffers, valid until its next call.
 */
public final class VcpuHypercallPort
{
    /** How long one wait slice lasts before the kernel's stop flag is looked at again. */
    static final long WAIT_SLICE_NS = 50_000_000L;
    private static final int MAX_OUTPUT = 4096;

    private final int vcpu;
    private final ChannelProducer hypercalls;
    private final ChannelConsumer responses;
    private final Doorbell hostDoorbell;
    private final BooleanSupplier stopping;
    private final UnsafeBuffer request;
    private final UnsafeBuffer args;
    private final UnsafeBuffer output = new UnsafeBuffer(new byte[MAX_OUTPUT]);
    private final IdleStrategy fullBackoff = new BackoffIdleStrategy();
    private final MessageHandler matchResponse = this::onResponse;
    private final MessageHandler dropResponse = this::onStrayResponse;
    private final WakeCondition slotAsked = this::isSlotAsked;
    private Vcpu owner;
    private long nextCallId;
    private long awaitedCallId;
    private boolean answered;
    private long result;
    private int outputLength;
    private long calls;
    private long strayResponses;
    private long slotHandOffs;

    /**
     * @param vcpu         the vCPU id written in each request.
     * @param hypercalls   the producer end of the domain's hypercall channel (shared by the vCPUs).
     * @param responses    the consumer end of this vCPU's response channel.
     * @param hostDoorbell the doorbell the host's hypercall dispatcher sleeps on.
     * @param stopping     tells a waiting call that the kernel stops.
     */
    public VcpuHypercallPort(
        final int vcpu,
        final ChannelProducer hypercalls,
        final ChannelConsumer responses,
        final Doorbell hostDoorbell,
        final BooleanSupplier stopping)
    {
        this.vcpu = vcpu;
        this.hypercalls = hypercalls;
        this.responses = responses;
        this.hostDoorbell = hostDoorbell;
        this.stopping = stopping;
        this.request = new UnsafeBuffer(new byte[Math.min(hypercalls.maxMsgLength(), 64 * 1024)]);
        this.args = new UnsafeBuffer(request, HypercallDescriptor.ARGS_OFFSET, request.capacity() - HypercallDescriptor.ARGS_OFFSET);
        this.nextCallId = (long)vcpu << 48;
    }

    /**
     * The vCPU whose thread makes the calls, so a waiting call can give its slot back when the
     * host asks. Set once, before the vCPU's thread starts.
     *
     * @param vcpu the owning vCPU.
     */
    public void ownedBy(final Vcpu vcpu)
    {
        this.owner = vcpu;
    }

    /** @return the argument area of the next request (offset 0 = {@link HypercallDescriptor#ARGS_OFFSET}). */
    public MutableDirectBuffer args()
    {
        return args;
    }

    /**
     * Issue a hypercall whose arguments are in {@link #args()} and wait for its response.
     *
     * @param op         the hypercall number ({@link HypercallOp}).
     * @param cmd        the sub-command.
     * @param argsLength bytes of arguments written in {@link #args()}.
     * @return the result: 0 or more on success, minus a Xen errno on failure ({@code -E2BIG} when
     *         the request is longer than the channel takes).
     * @throws HypercallAbortedException when the host is gone or the kernel stops while waiting.
     */
    public long invoke(final int op, final int cmd, final int argsLength)
    {
        if (argsLength < 0 || argsLength > args.capacity())
        {
            return -Errno.E2BIG;
        }
        final long callId = ++nextCallId;
        request.putLong(HypercallDescriptor.CALL_ID_OFFSET, callId);
        request.putInt(HypercallDescriptor.VCPU_OFFSET, vcpu);
        request.putInt(HypercallDescriptor.CMD_OFFSET, cmd);
        final long refused = offer(op, HypercallDescriptor.HEADER_LENGTH + argsLength);
        if (refused != 0)
        {
            return refused;
        }
        hostDoorbell.wakeIfSleeping();
        calls++;
        return awaitResponse(op, callId);
    }

    /**
     * Issue a hypercall the host does not answer (arguments in {@link #args()}) and go on at once.
     *
     * @param op         the hypercall number.
     * @param cmd        a sub-command the host leaves unanswered.
     * @param argsLength bytes of arguments written in {@link #args()}.
     * @return 0 when posted, {@code -E2BIG} when longer than the channel takes.
     * @throws HypercallAbortedException when the host is gone or the kernel stops while the channel is full.
     */
    public long post(final int op, final int cmd, final int argsLength)
    {
        if (argsLength < 0 || argsLength > args.capacity())
        {
            return -Errno.E2BIG;
        }
        request.putLong(HypercallDescriptor.CALL_ID_OFFSET, ++nextCallId);
        request.putInt(HypercallDescriptor.VCPU_OFFSET, vcpu);
        request.putInt(HypercallDescriptor.CMD_OFFSET, cmd);
        final long refused = offer(op, HypercallDescriptor.HEADER_LENGTH + argsLength);
        if (refused == 0)
        {
            hostDoorbell.wakeIfSleeping();
            calls++;
        }
        return refused;
    }

    /** @return the output of the last response (offset 0 = {@link HypercallResponseDescriptor#OUTPUT_OFFSET}). */
    public DirectBuffer output()
    {
        return output;
    }

    /** @return bytes of output in the last response. */
    public int outputLength()
    {
        return outputLength;
    }

    /** @return whether a message waits on the response channel (a snapshot). */
    public boolean hasStrayResponses()
    {
        return !responses.isEmpty();
    }

    /**
     * Drop responses nobody waits for (counted), so an idle vCPU does not wake for them again.
     *
     * @return messages dropped.
     */
    public int drainStrayResponses()
    {
        return responses.poll(dropResponse, 64);
    }

    /** @return calls during which the vCPU gave its slot back because the host asked for it while the answer was late. */
    public long slotHandOffs()
    {
        return slotHandOffs;
    }

    /** @return calls issued. */
    public long calls()
    {
        return calls;
    }

    /** @return responses that matched no waiting call. */
    public long strayResponses()
    {
        return strayResponses;
    }

    /** @return the consumer end of the response channel (its doorbell is this vCPU's doorbell). */
    public ChannelConsumer responses()
    {
        return responses;
    }

    private long offer(final int op, final int length)
    {
        fullBackoff.reset();
        while (true)
        {
            final OfferResult offered = hypercalls.offer(op, request, 0, length);
            switch (offered)
            {
                case ACCEPTED ->
                {
                    return 0;
                }
                case FULL ->
                {
                    checkNotStopping(op);
                    fullBackoff.idle();
                }
                case PEER_GONE -> throw new HypercallAbortedException(
                    HypercallAbortedException.Reason.HOST_GONE, "offering " + HypercallOp.name(op));
                case TOO_LONG ->
                {
                    return -Errno.E2BIG;
                }
                case INVALID_ARGUMENT ->
                {
                    return -Errno.EINVAL;
                }
            }
        }
    }

    private long awaitResponse(final int op, final long callId)
    {
        awaitedCallId = callId;
        answered = false;
        boolean slotGivenBack = false;
        while (true)
        {
            responses.poll(matchResponse, 16);
            if (answered)
            {
                if (slotGivenBack)
                {
                    owner.reacquireSlot();
                }
                return result;
            }
            if (!slotGivenBack && isSlotAsked())
            {
                owner.releaseSlot();
                slotGivenBack = true;
                slotHandOffs++;
            }
            final WaitResult waited = slotGivenBack ? responses.awaitMessages(WAIT_SLICE_NS) :
                responses.awaitMessagesOr(slotAsked, WAIT_SLICE_NS);
            if (waited == WaitResult.PEER_GONE)
            {
                throw new HypercallAbortedException(HypercallAbortedException.Reason.HOST_GONE, "awaiting " + HypercallOp.name(op));
            }
            checkNotStopping(op);
        }
    }

    private boolean isSlotAsked()
    {
        return owner != null && owner.isPreemptRequested();
    }

    private void checkNotStopping(final int op)
    {
        if (stopping.getAsBoolean())
        {
            throw new HypercallAbortedException(HypercallAbortedException.Reason.KERNEL_STOPPED, HypercallOp.name(op));
        }
    }

    private void onStrayResponse(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        strayResponses++;
    }

    private void onResponse(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (answered || length < HypercallResponseDescriptor.HEADER_LENGTH ||
            buffer.getLong(index + HypercallResponseDescriptor.CALL_ID_OFFSET) != awaitedCallId)
        {
            strayResponses++;
            return;
        }
        answered = true;
        result = buffer.getLong(index + HypercallResponseDescriptor.RESULT_OFFSET);
        final int previousLength = outputLength;
        outputLength = Math.min(length - HypercallResponseDescriptor.HEADER_LENGTH, MAX_OUTPUT);
        output.putBytes(0, buffer, index + HypercallResponseDescriptor.OUTPUT_OFFSET, outputLength);
        if (previousLength > outputLength)
        {
            output.setMemory(outputLength, previousLength - outputLength, (byte)0);
        }
    }
}
