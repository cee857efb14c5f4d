/**
 * Domain 0 of CoopVM: domains, memory pool, hypercall dispatch, event channels, grant tables, scheduler, usage page, xenstored, management API. Arrives with the hypervisor issue.
 */
package org.coopvm.hypervisor;
