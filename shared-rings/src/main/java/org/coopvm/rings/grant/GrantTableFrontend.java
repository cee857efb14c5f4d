package org.coopvm.rings.grant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.coopvm.rings.grant.GrantEntryDescriptor.*;

/**
 * Guest flyweight over its own grant table: grants a frame to another domain in Xen's publish
 * order and ends the grant, which fails while the grantee has it mapped. Which refs are free is
 * the guest kernel's bookkeeping; this class only touches entries.
 *
 * <p>Thread safety: any guest thread, one thread per ref at a time (the hypervisor may change
 * the same entry concurrently; that is what the atomic operations are for).
 */
public final class GrantTableFrontend extends GrantEntries
{
    /** Attempts {@link #endAccess(int)} makes against concurrent hypervisor updates. */
    public static final int MAX_END_ACCESS_ATTEMPTS = 1000;

    /**
     * @param grantTablePayload the grant table region's payload.
     * @param nrEntries         entries in the table (from the start info).
     * @return this flyweight.
     */
    public GrantTableFrontend wrap(final MemorySegment grantTablePayload, final int nrEntries)
    {
        wrapEntries(grantTablePayload, nrEntries);
        return this;
    }

    /**
     * Grant {@code domid} access to {@code frame}: write domid and frame, a store-store fence,
     * then the flags with a release store (Xen's {@code gnttab_grant_foreign_access_ref}).
     *
     * @param ref      a free grant reference.
     * @param domid    the grantee, 0..65535.
     * @param frame    page number in this domain's memory region.
     * @param readonly whether the grantee may only read.
     * @return {@link GrantStatus#GNTST_OKAY}; {@code GNTST_bad_gntref} for a ref outside the table;
     *         {@code GNTST_bad_domain} for a domid outside u16; {@code GNTST_general_error} when
     *         the entry is still in use (flags not zero).
     */
    public int grantAccess(final int ref, final int domid, final int frame, final boolean readonly)
    {
        if (!isValidRef(ref))
        {
            return GrantStatus.GNTST_BAD_GNTREF;
        }
        if (domid < 0 || domid > 0xFFFF)
        {
            return GrantStatus.GNTST_BAD_DOMAIN;
        }
        if (flags(ref) != 0)
        {
            return GrantStatus.GNTST_GENERAL_ERROR;
        }
        final long offset = entryOffset(ref);
        payload.set(ValueLayout.JAVA_SHORT, offset + DOMID_OFFSET, (short)domid);
        payload.set(ValueLayout.JAVA_INT, offset + FRAME_OFFSET, frame);
        VarHandle.storeStoreFence();
        SHORT.setRelease(payload, offset + FLAGS_OFFSET, (short)(GTF_PERMIT_ACCESS | (readonly ? GTF_READONLY : 0)));
        return GrantStatus.GNTST_OKAY;
    }

    /**
     * End a grant: CAS the flags from a value without {@code GTF_reading}/{@code GTF_writing} to
     * 0 (Xen's {@code gnttab_end_foreign_access_ref}). Domid and frame stay as they were.
     *
     * @param ref a grant reference.
     * @return {@code true} when the entry is now invalid; {@code false} while the grantee has it
     *         mapped (or the hypervisor kept changing it for every attempt), or for a bad ref.
     */
    public boolean endAccess(final int ref)
    {
        if (!isValidRef(ref))
        {
            return false;
        }
        for (int attempt = 0; attempt < MAX_END_ACCESS_ATTEMPTS; attempt++)
        {
            final long entry = entry(ref);
            if ((GrantEntryDescriptor.flags(entry) & (GTF_READING | GTF_WRITING)) != 0)
            {
                return false;
            }
            if (compareAndSet(ref, entry, entry & ~0xFFFFL))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param ref a grant reference.
     * @return whether the hypervisor marks the entry as being read or written by its grantee.
     */
    public boolean isInUse(final int ref)
    {
        return (flags(ref) & (GTF_READING | GTF_WRITING)) != 0;
    }
}
