package org.coopvm.rings.region;

import org.agrona.concurrent.AtomicBuffer;

import static org.coopvm.rings.region.RegionHeaderDescriptor.*;

/**
 * Checks a mapped header before anything else in the region is read.
 *
 * <p>Stateless; any thread.
 */
final class RegionHeaderValidator
{
    private RegionHeaderValidator()
    {
    }

    static void validate(final AtomicBuffer header, final long mappedLength, final RegionType expectedType, final String name)
    {
        final int magic = header.getIntVolatile(MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            throw new RegionException(RegionException.Reason.FOREIGN, String.format(
                "%s has magic 0x%08x, not CoopVM's 0x%08x (not a CoopVM region, or not initialised yet)", name, magic, MAGIC));
        }
        final int version = header.getInt(VERSION_OFFSET);
        if (version != ABI_VERSION)
        {
            throw new RegionException(RegionException.Reason.WRONG_VERSION,
                name + " has ABI version " + version + ", this build speaks version " + ABI_VERSION);
        }
        final long claimedLength = header.getLong(REGION_LENGTH_OFFSET);
        if (claimedLength != mappedLength)
        {
            throw new RegionException(
                mappedLength < claimedLength ? RegionException.Reason.TRUNCATED : RegionException.Reason.INVALID_SIZE,
                name + " is " + mappedLength + " bytes but its header says " + claimedLength);
        }
        final int typeCode = header.getInt(TYPE_OFFSET);
        if (typeCode != expectedType.code())
        {
            final RegionType actual = RegionType.fromCode(typeCode);
            throw new RegionException(RegionException.Reason.WRONG_TYPE,
                name + " holds " + (actual == null ? "unknown type " + typeCode : actual) + ", expected " + expectedType);
        }
    }
}
