package org.coopvm.guest.grant;

/**
 * How the guest reaches a page of another domain's memory once the hypervisor accepted a
 * {@code map_grant_ref}: a process guest maps exactly that page of
 * {@code <run>/dom<granter>/memory} ({@link FileForeignMemory}); an in-process guest gets a view
 * of the granter's anonymous memory region ({@link RegionForeignMemory}).
 *
 * <p>Thread safety: implementations may be called from any thread.
 */
public interface ForeignMemory
{
    /**
     * Map one page of {@code domid}'s memory. Call only after the hypervisor granted the map.
     *
     * @param domid    the granting domain.
     * @param frame    the page number in its memory region.
     * @param readonly map read-only.
     * @return the mapping; close it to unmap.
     * @throws IllegalStateException when the memory cannot be reached (no such region, frame out
     *                               of range, bad header, I/O error).
     */
    ForeignMapping map(int domid, int frame, boolean readonly);
}
