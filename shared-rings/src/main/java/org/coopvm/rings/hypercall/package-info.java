/**
 * The hypercall wire: request and response layouts on the hypercall and per-vCPU response
 * channels, Xen's hypercall numbers and errno values, and one descriptor per hypercall with its
 * sub-commands and argument offsets.
 */
package org.coopvm.rings.hypercall;
