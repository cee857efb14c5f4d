/**
 * Domain 0 of CoopVM. {@link org.coopvm.hypervisor.Hypervisor} ties the core together (domains,
 * event channels, grant tables, hypercall dispatcher); subpackages hold each mechanism, the
 * management API, configuration and trace.
 */
package org.coopvm.hypervisor;
