/**
 * Split (frontend/backend) drivers on Xen's ring ABI: the console now, block and net with the
 * I/O issues. The xenbus state machine they use is protocol and lives with the rings
 * ({@code org.coopvm.rings.xenbus}), so the guest kernel's frontends can use it too.
 */
package org.coopvm.drivers;
