package org.coopvm.hypervisor.sched;

/**
 * A vCPU's scheduling priority as tools show it, highest first (Xen credit's {@code CSCHED_PRI_*}).
 *
 * <p>Thread safety: immutable.
 */
public enum Priority
{
    /** Woke up with credit: runs before everyone else until a tick sees it running. */
    BOOST,
    /** Has credit left (credit >= 0). */
    UNDER,
    /** Has used more than its share (credit < 0). */
    OVER,
    /** Not runnable: blocked, offline, or the idle slot. */
    IDLE,
    /** Runnable but held back because its domain is over its cap for this accounting period. */
    PARKED
}
