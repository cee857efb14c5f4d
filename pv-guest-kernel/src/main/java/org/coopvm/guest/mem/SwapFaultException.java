package org.coopvm.guest.mem;

/**
 * A swapped-out page could not be brought back in (the swap device failed or the guest has no
 * memory for it even after swapping other pages out): the access that needed it did not happen,
 * as a Linux process gets {@code SIGBUS} for a page its swap device lost. The page stays out; a
 * later access tries again.
 *
 * <p>Thread safety: immutable.
 */
public final class SwapFaultException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed.
     */
    public SwapFaultException(final String message)
    {
        super(message);
    }
}
