/**
 * dom0's usage page publisher (DESIGN section 7): every period it writes each domain's memory
 * (from a {@link org.coopvm.hypervisor.usage.DomainUsageSource}), the host pool (from a
 * {@link org.coopvm.hypervisor.usage.HostMemorySource}) and each guest's classified balloon stats
 * into the read-only page every guest maps.
 */
package org.coopvm.hypervisor.usage;
