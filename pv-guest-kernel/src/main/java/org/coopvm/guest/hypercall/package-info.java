/**
 * Hypercall stubs: typed methods per Xen sub-command over the domain's hypercall channel, with
 * the response awaited on the calling vCPU's response channel.
 */
package org.coopvm.guest.hypercall;
