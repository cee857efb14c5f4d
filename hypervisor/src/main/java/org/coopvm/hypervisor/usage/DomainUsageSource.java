package org.coopvm.hypervisor.usage;

import java.util.List;

/**
 * Where the usage page gets each domain's memory numbers: the hypervisor's domains today
 * ({@link HypervisorUsageSource}); the reservations issue plugs in populated pages and floors.
 *
 * <p>Thread safety: called from the usage publisher's thread; implementations take whatever
 * locks they need and must not call back into the publisher.
 */
@FunctionalInterface
public interface DomainUsageSource
{
    /** @return one row per guest domain (dom0 excluded), in domid order. */
    List<DomainMemory> domains();
}
