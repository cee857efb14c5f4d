package org.coopvm.hypervisor.domain;

/**
 * A domain's lifecycle state as Xen names it; same constant names as the management API's
 * {@code DomainState}, so {@code DomainState.valueOf(status.name())} maps one onto the other.
 */
public enum DomainStatus
{
    /** Its hypercalls are served. */
    RUNNING,
    /** Paused by the toolstack: its hypercalls wait until unpaused. */
    PAUSED,
    /** Shut down with a reason (poweroff, reboot, suspend, crash, watchdog); hypercalls are no longer served. */
    SHUTDOWN,
    /** Being destroyed: resources are reclaimed, waiting for foreign mappings of its memory to go. */
    DYING
}
