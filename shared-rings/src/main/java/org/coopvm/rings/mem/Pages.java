package org.coopvm.rings.mem;

/**
 * Page arithmetic for CoopVM's 4 KiB pages.
 */
public final class Pages
{
    /** Bytes in a page, as on x86-64 Xen. */
    public static final int PAGE_SIZE = 4096;

    /** log2 of {@link #PAGE_SIZE}. */
    public static final int PAGE_SHIFT = 12;

    private Pages()
    {
    }

    /**
     * @param bytes a non-negative byte count.
     * @return {@code bytes} rounded up to a whole number of pages.
     */
    public static long roundUp(final long bytes)
    {
        return (bytes + PAGE_SIZE - 1) & ~((long)PAGE_SIZE - 1);
    }

    /**
     * @param bytes a byte count or offset.
     * @return whether it is a multiple of the page size.
     */
    public static boolean isAligned(final long bytes)
    {
        return (bytes & (PAGE_SIZE - 1)) == 0;
    }
}
