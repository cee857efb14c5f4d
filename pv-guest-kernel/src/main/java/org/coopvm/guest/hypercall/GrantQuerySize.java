package org.coopvm.guest.hypercall;

/**
 * Output of {@code GNTTABOP_query_size}.
 *
 * <p>Thread safety: immutable.
 *
 * @param result    0, or minus a Xen errno.
 * @param nrFrames  grant table frames in use.
 * @param maxFrames grant table frames at most.
 * @param status    a {@code GNTST_*} code.
 */
public record GrantQuerySize(long result, int nrFrames, int maxFrames, int status)
{
}
