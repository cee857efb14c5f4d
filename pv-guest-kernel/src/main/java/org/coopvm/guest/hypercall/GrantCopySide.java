package org.coopvm.guest.hypercall;

/**
 * One side of a {@code GNTTABOP_copy}: a granted page (by grant reference) or a frame of a domain,
 * and the byte offset in that page.
 *
 * <p>Thread safety: immutable.
 *
 * @param refOrFrame a grant reference when {@code isGrantRef}, else a frame.
 * @param dom        the domain owning the page ({@code DOMID_SELF} allowed for frames).
 * @param offset     byte offset in the page.
 * @param isGrantRef whether {@code refOrFrame} is a grant reference.
 */
public record GrantCopySide(int refOrFrame, int dom, int offset, boolean isGrantRef)
{
    /**
     * @param granter the granting domain.
     * @param ref     its grant reference.
     * @param offset  byte offset in the page.
     * @return a side naming a granted page.
     */
    public static GrantCopySide granted(final int granter, final int ref, final int offset)
    {
        return new GrantCopySide(ref, granter, offset, true);
    }

    /**
     * @param dom    the domain.
     * @param frame  a frame of its memory.
     * @param offset byte offset in the page.
     * @return a side naming a frame.
     */
    public static GrantCopySide frame(final int dom, final int frame, final int offset)
    {
        return new GrantCopySide(frame, dom, offset, false);
    }
}
