package org.coopvm.rings.console;

/**
 * Layout of Xen's console ring ({@code struct xencons_interface} in {@code io/console.h}) on
 * x86-64: one page a guest grants to dom0. Two byte rings: {@code in} (dom0 to guest, typed
 * input) and {@code out} (guest to dom0, console output), each with free-running u32 indices.
 * The byte of index {@code i} is at {@code data + (i & (size - 1))} ({@code MASK_XENCONS_IDX}).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 in[1024]: bytes dom0 writes, guest reads      |    0
 *  +---------------------------------------------------------------+
 *  |                 out[2048]: bytes guest writes, dom0 reads     | 1024
 *  +---------------------------------------------------------------+
 *  |                 in_cons (u32, written by the guest)           | 3072
 *  +---------------------------------------------------------------+
 *  |                 in_prod (u32, written by dom0)                | 3076
 *  +---------------------------------------------------------------+
 *  |                 out_cons (u32, written by dom0)               | 3080
 *  +---------------------------------------------------------------+
 *  |                 out_prod (u32, written by the guest)          | 3084
 *  +---------------------------------------------------------------+
 *  |                 rest of the page, unused                      | 3088..4095
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Stateless; any thread may call it.
 */
public final class ConsoleRingDescriptor
{
    /** Offset of {@code in[]}: input bytes, produced by dom0. */
    public static final int IN_OFFSET = 0;
    /** Bytes of {@code in[]}. */
    public static final int IN_LENGTH = 1024;
    /** Offset of {@code out[]}: output bytes, produced by the guest. */
    public static final int OUT_OFFSET = IN_OFFSET + IN_LENGTH;
    /** Bytes of {@code out[]}. */
    public static final int OUT_LENGTH = 2048;
    /** Offset of {@code in_cons} (u32), written by the guest. */
    public static final int IN_CONS_OFFSET = OUT_OFFSET + OUT_LENGTH;
    /** Offset of {@code in_prod} (u32), written by dom0. */
    public static final int IN_PROD_OFFSET = IN_CONS_OFFSET + 4;
    /** Offset of {@code out_cons} (u32), written by dom0. */
    public static final int OUT_CONS_OFFSET = IN_PROD_OFFSET + 4;
    /** Offset of {@code out_prod} (u32), written by the guest. */
    public static final int OUT_PROD_OFFSET = OUT_CONS_OFFSET + 4;
    /** {@code sizeof(struct xencons_interface)}. */
    public static final int INTERFACE_LENGTH = OUT_PROD_OFFSET + 4;
    /** Grant reference reserved for the console ring page ({@code GNTTAB_RESERVED_CONSOLE}). */
    public static final int GNTTAB_RESERVED_CONSOLE = 0;

    private ConsoleRingDescriptor()
    {
    }

    /**
     * {@code MASK_XENCONS_IDX}.
     *
     * @param index a free-running index.
     * @param size  the ring's size in bytes (a power of two).
     * @return the byte's position inside the ring's data.
     */
    public static int mask(final int index, final int size)
    {
        return index & (size - 1);
    }
}
