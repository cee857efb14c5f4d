/**
 * CPU scheduling algorithms: the {@link org.coopvm.hypervisor.sched.Scheduler} SPI (modelled on
 * Xen's {@code struct scheduler} ops), its value types ({@link org.coopvm.hypervisor.sched.SchedVcpu},
 * {@link org.coopvm.hypervisor.sched.SchedParams},
 * {@link org.coopvm.hypervisor.sched.SchedulerSettings},
 * {@link org.coopvm.hypervisor.sched.VcpuSchedState}), the two shipped algorithms
 * ({@link org.coopvm.hypervisor.sched.CreditScheduler}, Xen's credit scheduler, and
 * {@link org.coopvm.hypervisor.sched.Credit2Scheduler}, credit in nanoseconds) and the
 * {@link org.coopvm.hypervisor.sched.Schedulers} catalog that finds more through
 * {@link java.util.ServiceLoader}.
 *
 * <p>Everything here is pure logic: no threads, no shared memory, no clock. Every call passes the
 * time ({@code nowNs}, any monotonic nanosecond clock) and the CPU time a vCPU really used. The
 * runtime calls an algorithm from one thread at a time (its scheduler thread, under its lock).
 */
package org.coopvm.hypervisor.sched;
