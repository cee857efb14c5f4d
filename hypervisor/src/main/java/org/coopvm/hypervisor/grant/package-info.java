/**
 * Grant tables: map (with a bounds-checked view of exactly the granted page), unmap and copy with
 * Xen's v1 checks and pinning; a dying granter's memory outlives the last foreign mapping.
 */
package org.coopvm.hypervisor.grant;
