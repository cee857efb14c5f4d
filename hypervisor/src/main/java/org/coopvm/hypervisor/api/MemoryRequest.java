package org.coopvm.hypervisor.api;

/**
 * The body of {@code POST /v1/domains/{id}/mem-set} and {@code .../mem-max}: a size in KiB.
 *
 * @param kib the new target ({@code mem-set}) or maximum ({@code mem-max}), KiB.
 *
 * <p>Thread safety: immutable.
 */
public record MemoryRequest(long kib)
{
}
