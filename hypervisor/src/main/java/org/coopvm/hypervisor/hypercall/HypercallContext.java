package org.coopvm.hypervisor.hypercall;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.HypercallRequest;
import org.coopvm.rings.hypercall.HypercallResponse;
import org.coopvm.rings.hypercall.HypercallResponseDescriptor;

/**
 * One hypercall being served: the caller, a private copy of the request, the response being
 * built, and what the handler decided (answer now, answer later, malformed).
 *
 * <p>Thread safety: the dispatcher thread; reused for every call.
 */
public final class HypercallContext
{
    /** Largest response output. */
    public static final int MAX_OUTPUT = 1024;

    private final HypercallRequest request = new HypercallRequest();
    private final UnsafeBuffer responseBuffer = new UnsafeBuffer(new byte[HypercallResponseDescriptor.HEADER_LENGTH + MAX_OUTPUT]);
    private final HypercallResponse response = new HypercallResponse().wrap(responseBuffer, 0, responseBuffer.capacity());
    private Domain domain;
    private int op;
    private int outputLength;
    private boolean deferred;
    private boolean unanswered;
    private String malformedReason;

    HypercallContext reset(final Domain domain, final int op, final MutableDirectBuffer copy, final int length)
    {
        this.domain = domain;
        this.op = op;
        this.outputLength = 0;
        this.deferred = false;
        this.unanswered = false;
        this.malformedReason = null;
        request.wrap(copy, 0, length);
        return this;
    }

    /** @return the calling domain. */
    public Domain domain()
    {
        return domain;
    }

    /** @return the hypercall number. */
    public int op()
    {
        return op;
    }

    /** @return the request (a private copy). */
    public HypercallRequest request()
    {
        return request;
    }

    /** @return the calling vCPU (validated before handlers run). */
    public int vcpu()
    {
        return request.vcpu();
    }

    /** @return the sub-command. */
    public int cmd()
    {
        return request.cmd();
    }

    /**
     * @param bytes argument bytes the command needs.
     * @return whether the request carries them.
     */
    public boolean hasArgs(final int bytes)
    {
        return request.hasArgs(bytes);
    }

    /**
     * Mark the call malformed (counted against the domain).
     *
     * @param reason what was wrong.
     * @return -EINVAL, to return from the handler.
     */
    public long malformed(final String reason)
    {
        return malformed(reason, -Errno.EINVAL);
    }

    /**
     * @param reason what was wrong.
     * @param result the result to return.
     * @return {@code result}.
     */
    public long malformed(final String reason, final long result)
    {
        malformedReason = reason;
        return result;
    }

    /**
     * The call will be answered later (block, poll).
     *
     * @return 0, to return from the handler.
     */
    public long defer()
    {
        deferred = true;
        return 0;
    }

    /**
     * The call gets no response at all (the guest does not wait for one); an error result is still counted.
     *
     * @param result the result, to return from the handler.
     * @return {@code result}.
     */
    public long unanswered(final long result)
    {
        unanswered = true;
        return result;
    }

    /** @param outOffset offset in the output. @param value a u32. */
    public void outInt(final int outOffset, final int value)
    {
        response.outInt(outOffset, value);
        outputLength = Math.max(outputLength, outOffset + 4);
    }

    /** @param outOffset offset in the output. @param value a u64. */
    public void outLong(final int outOffset, final long value)
    {
        response.outLong(outOffset, value);
        outputLength = Math.max(outputLength, outOffset + 8);
    }

    boolean isDeferred()
    {
        return deferred;
    }

    boolean isUnanswered()
    {
        return unanswered;
    }

    String malformedReason()
    {
        return malformedReason;
    }

    /** @return the response message with header written, ready to offer; its length is {@link #responseLength()}. */
    UnsafeBuffer completeResponse(final long result)
    {
        response.callId(request.callId()).result(result);
        return responseBuffer;
    }

    int responseLength()
    {
        return HypercallResponse.messageLength(outputLength);
    }
}
