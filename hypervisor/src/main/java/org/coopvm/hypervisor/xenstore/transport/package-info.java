/**
 * xenstored's transports: the Unix socket dom0 tools use ({@code <run dir>/xenstored.sock},
 * {@code XENSTORED_PATH} for Xen's tools) and the guests' ring pages.
 */
package org.coopvm.hypervisor.xenstore.transport;
