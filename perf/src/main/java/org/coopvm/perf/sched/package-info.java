/**
 * {@code coop bench sched}: the cooperative CPU scheduler measured on the real runtime (a real
 * hypervisor's {@code cpu-scheduler} agent, real guest kernels running {@code cpu-burn}):
 * fairness of weighted guests (Jain's index), wake-to-run latency of a blocked vCPU under load next
 * to the same wake-up without the wait for a slot and without slots at all, the scheduler thread's
 * CPU with 16 busy vCPUs, live adjusts, and the pure algorithms' cost per decision next to a
 * round-robin picker.
 */
package org.coopvm.perf.sched;
