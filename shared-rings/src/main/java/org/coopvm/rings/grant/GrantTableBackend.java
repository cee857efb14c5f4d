package org.coopvm.rings.grant;

import java.lang.foreign.MemorySegment;

import static org.coopvm.rings.grant.GrantEntryDescriptor.*;

/**
 * Hypervisor flyweight over a granter's grant table: checks an entry as Xen does before a map or
 * a copy and marks it in use with a bounded CAS, and clears the in-use bits when the last user
 * is gone. The entry is guest memory: everything is read once, as one u64, and the CAS makes
 * sure the checked value is the value pinned.
 *
 * <p>Thread safety: the hypervisor thread that serves grant operations; the guest may change
 * entries concurrently.
 */
public final class GrantTableBackend extends GrantEntries
{
    /**
     * @param grantTablePayload the granter's grant table region's payload.
     * @param nrEntries         entries the host allows in that table.
     * @return this flyweight.
     */
    public GrantTableBackend wrap(final MemorySegment grantTablePayload, final int nrEntries)
    {
        wrapEntries(grantTablePayload, nrEntries);
        return this;
    }

    /**
     * Check entry {@code ref} for a map or copy by {@code mapperDomid} and set
     * {@code GTF_reading} (and {@code GTF_writing} unless {@code readonly}), Xen's
     * {@code _set_status_v1}: type must be permit_access, grantee the mapper, no write access to a
     * read-only grant, the frame below {@code memoryFrames}; at most
     * {@link GrantEntryDescriptor#MAX_CAS_ATTEMPTS} CAS attempts.
     *
     * @param ref          the grant reference (from the guest: any value).
     * @param mapperDomid  the domain asking.
     * @param readonly     whether it wants read access only.
     * @param memoryFrames frames in the granter's memory region.
     * @return the granted frame (0 or more), or a negative {@link GrantStatus} code:
     *         {@code GNTST_bad_gntref} (ref outside the table), {@code GNTST_general_error} (wrong
     *         type, wrong grantee, write to a read-only grant, unstable entry),
     *         {@code GNTST_bad_page} (frame outside the granter's memory).
     */
    public long acquire(final int ref, final int mapperDomid, final boolean readonly, final long memoryFrames)
    {
        if (!isValidRef(ref))
        {
            return GrantStatus.GNTST_BAD_GNTREF;
        }
        final int inUse = GTF_READING | (readonly ? 0 : GTF_WRITING);
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++)
        {
            final long entry = entry(ref);
            final int status = check(entry, mapperDomid, readonly, memoryFrames);
            if (status != GrantStatus.GNTST_OKAY)
            {
                return status;
            }
            if (compareAndSet(ref, entry, entry | inUse))
            {
                return frame(entry);
            }
        }
        return GrantStatus.GNTST_GENERAL_ERROR;
    }

    /**
     * Clear in-use bits once their last user is gone (one atomic AND: wait-free).
     *
     * @param ref          the grant reference, acquired before.
     * @param clearReading clear {@code GTF_reading} (no reader nor writer left).
     * @param clearWriting clear {@code GTF_writing} (no writer left).
     */
    public void release(final int ref, final boolean clearReading, final boolean clearWriting)
    {
        final long bits = (clearReading ? GTF_READING : 0) | (clearWriting ? GTF_WRITING : 0);
        final long before = (long)LONG.getAndBitwiseAnd(payload, entryOffset(checkRef(ref)), ~bits);
    }

    private static int check(final long entry, final int mapperDomid, final boolean readonly, final long memoryFrames)
    {
        final int flags = GrantEntryDescriptor.flags(entry);
        if ((flags & GTF_TYPE_MASK) != GTF_PERMIT_ACCESS || domid(entry) != mapperDomid)
        {
            return GrantStatus.GNTST_GENERAL_ERROR;
        }
        if (!readonly && (flags & GTF_READONLY) != 0)
        {
            return GrantStatus.GNTST_GENERAL_ERROR;
        }
        return frame(entry) < memoryFrames ? GrantStatus.GNTST_OKAY : GrantStatus.GNTST_BAD_PAGE;
    }
}
