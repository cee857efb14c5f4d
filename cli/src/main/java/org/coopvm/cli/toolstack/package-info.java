/**
 * The toolstack: what Xen's libxl is to {@code xl}. It implements the management API's
 * {@link org.coopvm.hypervisor.api.HostControl} on top of the
 * {@link org.coopvm.hypervisor.Hypervisor}: it builds domains from their configs, starts their
 * guests (a child JVM each, or a guest kernel in the host JVM), watches them (process exit,
 * heartbeats), applies {@code on_poweroff}/{@code on_reboot}/{@code on_crash}, sizes the
 * hypervisor's memory pool (which keeps the books), and wires tracing, metrics and console output.
 *
 * <p>It lives in the {@code cli} module because it is the one place that may see both the
 * hypervisor and the guest kernel (in-process guests); the two never depend on each other.
 */
package org.coopvm.cli.toolstack;
