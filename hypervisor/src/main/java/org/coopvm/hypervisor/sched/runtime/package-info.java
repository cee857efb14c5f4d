/**
 * The CPU slot mechanism (issue 6, layer B): the {@link org.coopvm.hypervisor.sched.runtime.CpuScheduler}
 * agent hands the host's physical CPU slots to guest vCPUs through their vcpu_info slot words, as a
 * pluggable {@link org.coopvm.hypervisor.sched.Scheduler} decides; it accounts CPU time from each
 * vCPU thread's schedstat, publishes runstates, raises preempt flags and suspends domains that ignore
 * them. The algorithms are in {@link org.coopvm.hypervisor.sched}.
 */
package org.coopvm.hypervisor.sched.runtime;
