package org.coopvm.guest.hypercall;

/**
 * A hypercall could not complete because the host is gone (its channel end closed or its process
 * died) or the kernel is stopping. Not an errno: errno results are returned as negative longs.
 * The vCPU that sees it ends the task; a HOST_GONE stops the kernel.
 */
public final class HypercallAbortedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Why the call was abandoned. */
    public enum Reason
    {
        /** The host closed its end or its process died: no response will come. */
        HOST_GONE,
        /** The guest kernel is stopping. */
        KERNEL_STOPPED
    }

    private final Reason reason;

    /**
     * @param reason  why.
     * @param message what was being called.
     */
    public HypercallAbortedException(final Reason reason, final String message)
    {
        super(reason + ": " + message, null, false, false);
        this.reason = reason;
    }

    /** @return why the call was abandoned. */
    public Reason reason()
    {
        return reason;
    }
}
