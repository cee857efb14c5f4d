package org.coopvm.drivers.block;

import org.coopvm.rings.blkif.BlkifResponseDescriptor;

/**
 * Why the backend refused or failed a block request: each is answered with its status and
 * counted per device ({@link VbdCounters#errors}); none stops the device.
 */
public enum BlockError
{
    /** A read or write with no segment or more than 11 (an indirect one: more than {@code feature-max-indirect-segments}). */
    BAD_SEGMENT_COUNT(BlkifResponseDescriptor.STATUS_ERROR),
    /** A segment whose {@code first_sect > last_sect} or {@code last_sect > 7} (beyond the page). */
    BAD_SEGMENT_SECTORS(BlkifResponseDescriptor.STATUS_ERROR),
    /** A grant reference that does not map (not granted to dom0, out of range, read-only for a read), or an indirect page that does not. */
    BAD_GREF(BlkifResponseDescriptor.STATUS_ERROR),
    /** Sectors past the end of the disk. */
    BEYOND_END(BlkifResponseDescriptor.STATUS_ERROR),
    /** A write, barrier, flush or discard on a read-only disk. */
    READ_ONLY(BlkifResponseDescriptor.STATUS_ERROR),
    /** An operation the backend does not serve (reserved, unknown, an indirect one other than read or write). */
    UNSUPPORTED_OPERATION(BlkifResponseDescriptor.STATUS_EOPNOTSUPP),
    /** The image's I/O failed. */
    IO_ERROR(BlkifResponseDescriptor.STATUS_ERROR);

    private final short status;

    BlockError(final short status)
    {
        this.status = status;
    }

    /** @return the response status it is answered with. */
    public short status()
    {
        return status;
    }

    /** @return the name used in metrics tags and logs, e.g. {@code bad_gref}. */
    public String tag()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
