package org.coopvm.hypervisor.domain;

/**
 * Told when a guest misbehaves: every malformed hypercall or dropped response, and the moment a
 * domain passes the fault threshold and is shut down as crashed. The lead wires it to the trace
 * (a record saying why) and to rate-limited logging.
 *
 * <p>Thread safety: called under the hypervisor lock on the dispatcher thread: return quickly.
 */
public interface DomainFaultListener
{
    /** A listener that ignores everything. */
    DomainFaultListener NONE = new DomainFaultListener()
    {
    };

    /**
     * @param domain the domain.
     * @param op     the hypercall number (or the message type id seen), -1 if none.
     * @param reason what was wrong.
     */
    default void onGuestFault(final Domain domain, final int op, final String reason)
    {
    }

    /**
     * @param domain the domain now shut down with reason crash.
     * @param reason why, e.g. "65 malformed hypercalls (threshold 64); last: truncated header".
     */
    default void onCrashed(final Domain domain, final String reason)
    {
    }
}
