/**
 * Split (frontend/backend) drivers on Xen's ring ABI: console, block, net, and the xenbus state machine. Arrive with the xenstore and I/O issues.
 */
package org.coopvm.drivers;
