/**
 * The host's trace: lifecycle, hypercall and guest-fault records in a Chronicle Queue at
 * {@code <run>/trace}. {@link org.coopvm.hypervisor.trace.Tracer} writes (one per host, any
 * thread, nothing at all when the level is OFF); {@link org.coopvm.hypervisor.trace.TraceReader}
 * reads and filters, from any process, while the host runs or after; and
 * {@link org.coopvm.hypervisor.trace.TraceFormat} prints records as text or JSON lines
 * ({@code coop trace dump}). Chronicle is used here and nowhere else in CoopVM, and never without
 * {@code -Dchronicle.analytics.disable=true}.
 */
package org.coopvm.hypervisor.trace;
