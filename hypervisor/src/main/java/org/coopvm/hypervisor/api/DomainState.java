package org.coopvm.hypervisor.api;

/**
 * A domain's lifecycle state, as Xen's: running, paused by the toolstack, shut down (with a
 * {@link ShutdownReason}) but not yet destroyed, and dying (being torn down).
 */
public enum DomainState
{
    /** Its vCPUs may run. */
    RUNNING,
    /** Paused by the toolstack: no vCPU runs until unpaused. */
    PAUSED,
    /** The guest stopped; {@link DomainInfo#shutdownReason()} says why. Kept until destroyed or acted on. */
    SHUTDOWN,
    /** Being destroyed: its resources are being reclaimed. */
    DYING
}
