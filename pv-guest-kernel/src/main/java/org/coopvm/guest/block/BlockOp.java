package org.coopvm.guest.block;

import org.coopvm.rings.hypercall.Errno;

/**
 * One request a workload submitted, split into {@link #parts} ring requests: it completes, with
 * the first failure of its parts (or 0), when the last part has.
 *
 * <p>Thread safety: guarded by the frontend's lock.
 */
final class BlockOp
{
    final BlockCompletion completion;
    int parts;
    int status;

    BlockOp(final BlockCompletion completion)
    {
        this.completion = completion;
    }

    /**
     * @param partStatus 0 or a negative errno.
     * @return whether this was the last part.
     */
    boolean partDone(final int partStatus)
    {
        if (status == 0 && partStatus != 0)
        {
            status = partStatus;
        }
        return --parts == 0;
    }

    /** Complete it now with {@code -ENOTCONN}, whatever parts are left. */
    void abandon()
    {
        if (status == 0)
        {
            status = -Errno.ENOTCONN;
        }
        parts = 0;
    }
}
