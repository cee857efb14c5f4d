package org.coopvm.hypervisor.grant;

import org.coopvm.hypervisor.domain.Domain;

/**
 * Told when the last foreign mapping of a dying domain's memory is unmapped, so that its
 * memory can finally be released.
 *
 * <p>Thread safety: called under the hypervisor lock.
 */
@FunctionalInterface
public interface GrantReleaseListener
{
    /** @param granter a dying domain whose pages nobody maps any more. */
    void onLastForeignMappingGone(Domain granter);
}
