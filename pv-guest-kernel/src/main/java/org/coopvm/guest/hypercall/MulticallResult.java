package org.coopvm.guest.hypercall;

/**
 * Output of a multicall.
 *
 * <p>Thread safety: immutable.
 *
 * @param result  the entries the hypervisor ran (each has its own result), or minus a Xen errno for the whole batch.
 * @param results one result per entry, in order (empty when {@code result} is an error).
 */
public record MulticallResult(long result, long[] results)
{
}
