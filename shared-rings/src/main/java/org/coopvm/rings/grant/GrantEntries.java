package org.coopvm.rings.grant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The entries of a grant table payload, seen as u64 words: what the guest and host flyweights
 * share.
 */
abstract class GrantEntries
{
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle().withInvokeExactBehavior();

    MemorySegment payload;
    int nrEntries;

    final void wrapEntries(final MemorySegment grantTablePayload, final int nrEntries)
    {
        if (nrEntries < 0 || (long)nrEntries * GrantEntryDescriptor.ENTRY_LENGTH > grantTablePayload.byteSize() ||
            (grantTablePayload.address() & 7) != 0)
        {
            throw new IllegalArgumentException(nrEntries + " grant entries do not fit an 8-byte aligned payload of " +
                grantTablePayload.byteSize() + " bytes");
        }
        this.payload = grantTablePayload;
        this.nrEntries = nrEntries;
    }

    /** @return entries in the table. */
    public final int nrEntries()
    {
        return nrEntries;
    }

    /**
     * @param ref a grant reference.
     * @return the entry as one little-endian u64 (volatile read); decode with
     *         {@link GrantEntryDescriptor#flags(long)} etc.
     */
    public final long entry(final int ref)
    {
        return (long)LONG.getVolatile(payload, GrantEntryDescriptor.entryOffset(checkRef(ref)));
    }

    /**
     * @param ref a grant reference.
     * @return its flags (volatile read).
     */
    public final int flags(final int ref)
    {
        return GrantEntryDescriptor.flags(entry(ref));
    }

    /**
     * @param ref a grant reference.
     * @return whether it lies in the table.
     */
    public final boolean isValidRef(final int ref)
    {
        return ref >= 0 && ref < nrEntries;
    }

    final int checkRef(final int ref)
    {
        if (!isValidRef(ref))
        {
            throw new IllegalArgumentException("grant ref " + ref + " outside 0.." + (nrEntries - 1));
        }
        return ref;
    }

    final boolean compareAndSet(final int ref, final long expected, final long value)
    {
        return LONG.compareAndSet(payload, GrantEntryDescriptor.entryOffset(ref), expected, value);
    }
}
