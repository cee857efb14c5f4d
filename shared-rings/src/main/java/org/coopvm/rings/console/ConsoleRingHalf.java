package org.coopvm.rings.console;

/**
 * The two byte rings of a console page: where each one's data and indices are, and who
 * produces it.
 */
public enum ConsoleRingHalf
{
    /** {@code in}: dom0 produces (typed input), the guest consumes. */
    IN(ConsoleRingDescriptor.IN_OFFSET, ConsoleRingDescriptor.IN_LENGTH,
        ConsoleRingDescriptor.IN_CONS_OFFSET, ConsoleRingDescriptor.IN_PROD_OFFSET),
    /** {@code out}: the guest produces (console output), dom0 consumes. */
    OUT(ConsoleRingDescriptor.OUT_OFFSET, ConsoleRingDescriptor.OUT_LENGTH,
        ConsoleRingDescriptor.OUT_CONS_OFFSET, ConsoleRingDescriptor.OUT_PROD_OFFSET);

    private final int dataOffset;
    private final int size;
    private final int consOffset;
    private final int prodOffset;

    ConsoleRingHalf(final int dataOffset, final int size, final int consOffset, final int prodOffset)
    {
        this.dataOffset = dataOffset;
        this.size = size;
        this.consOffset = consOffset;
        this.prodOffset = prodOffset;
    }

    /** @return offset of the data bytes in the page. */
    public int dataOffset()
    {
        return dataOffset;
    }

    /** @return bytes of data, a power of two. */
    public int size()
    {
        return size;
    }

    /** @return offset of the consumer index (u32). */
    public int consOffset()
    {
        return consOffset;
    }

    /** @return offset of the producer index (u32). */
    public int prodOffset()
    {
        return prodOffset;
    }
}
