package org.coopvm.hypervisor.grant;

/**
 * The arguments of one GNTTABOP_copy, as decoded from a private copy of the request.
 *
 * @param srcRefOrFrame source grant ref (with {@code GNTCOPY_source_gref}) or frame of the caller's memory.
 * @param srcDom        source domain (DOMID_SELF allowed).
 * @param srcOffset     offset in the source page.
 * @param dstRefOrFrame destination grant ref (with {@code GNTCOPY_dest_gref}) or frame of the caller's memory.
 * @param dstDom        destination domain.
 * @param dstOffset     offset in the destination page.
 * @param length        bytes to copy.
 * @param flags         {@code GNTCOPY_*} bits.
 */
public record GrantCopy(
    long srcRefOrFrame, int srcDom, int srcOffset, long dstRefOrFrame, int dstDom, int dstOffset, int length, int flags)
{
}
