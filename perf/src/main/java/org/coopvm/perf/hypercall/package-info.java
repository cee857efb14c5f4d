/**
 * {@code coop bench hypercalls}: null hypercall and interdomain event channel latency between a
 * real hypervisor in the benchmark JVM and real guest kernels in child JVMs, next to the raw
 * ring round trips of the foundation benchmark, measured in one run.
 */
package org.coopvm.perf.hypercall;
