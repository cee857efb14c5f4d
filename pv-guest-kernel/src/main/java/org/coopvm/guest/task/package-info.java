/**
 * Cooperative tasks on vCPUs: a {@link org.coopvm.guest.task.Task} is a step function, a
 * {@link org.coopvm.guest.task.Vcpu} is one platform thread running its run queue round robin,
 * with per-vCPU timers, wakes from any thread, and a doorbell sleep when idle.
 */
package org.coopvm.guest.task;
