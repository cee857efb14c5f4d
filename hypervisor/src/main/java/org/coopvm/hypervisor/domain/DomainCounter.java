package org.coopvm.hypervisor.domain;

/**
 * Per-domain counters kept by the hypervisor (index into {@link Domain#counter}); metrics read them.
 */
public enum DomainCounter
{
    /** Hypercalls answered (or deferred). */
    HYPERCALLS,
    /** Hypercalls answered with a negative result. */
    HYPERCALL_ERRORS,
    /** Malformed hypercalls (truncated, bad vCPU, short arguments, unknown op or command, bad counts). */
    MALFORMED,
    /** Responses dropped because the vCPU's response channel was full or gone. */
    RESPONSES_DROPPED,
    /** Event channel sends made by the domain. */
    EVENTS_SENT,
    /** Events that became pending on the domain's ports. */
    EVENTS_DELIVERED,
    /** vCPU kicks (doorbell rings for an upcall). */
    KICKS,
    /** Grant maps made by the domain. */
    GRANT_MAPS,
    /** Grant copies made by the domain. */
    GRANT_COPIES,
    /** Console bytes written by the domain. */
    CONSOLE_BYTES
}
