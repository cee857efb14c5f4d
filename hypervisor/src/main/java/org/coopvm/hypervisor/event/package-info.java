/**
 * Xen 2-level event channels: per-domain port tables and the event_channel_op operations
 * (interdomain, virq, ipi, close, send, status, bind_vcpu, unmask, reset), delivering through the
 * shared-info bits and the vCPU's doorbell.
 */
package org.coopvm.hypervisor.event;
