package org.coopvm.hypervisor.domain;

/**
 * Told about domain lifecycle changes and reservation calls: the lead wires it to tracing, metrics and the
 * {@code on_crash}/{@code on_poweroff} actions. Default methods do nothing.
 *
 * <p>Thread safety: called under the hypervisor lock on the thread that made the change (an API
 * thread or the dispatcher): return quickly, never call back into the hypervisor synchronously
 * from another thread while waiting for it.
 */
public interface DomainLifecycleListener
{
    /** @param domain a domain just created (RUNNING). */
    default void onCreated(final Domain domain)
    {
    }

    /**
     * @param domain the domain.
     * @param from   its state before.
     * @param to     its state now.
     */
    default void onStateChanged(final Domain domain, final DomainStatus from, final DomainStatus to)
    {
    }

    /**
     * @param domain a domain that shut down; {@link Domain#shutdownCode()} and
     *               {@link Domain#shutdownDetail()} say why.
     */
    default void onShutdown(final Domain domain)
    {
    }

    /**
     * One reservation call ({@code increase_reservation}, {@code decrease_reservation},
     * {@code populate_physmap}) on a domain's memory, whatever its outcome: one call per
     * hypercall, never one per page. {@code domain.memory().physmap()} has the counts after it.
     *
     * @param domain    the domain whose memory it was.
     * @param cmd       the XENMEM_* command.
     * @param nrExtents extents asked for.
     * @param order     log2 of pages per extent.
     * @param result    extents done, or minus an errno when none was.
     */
    default void onReservation(final Domain domain, final int cmd, final long nrExtents, final int order, final long result)
    {
    }

    /** @param domain a domain whose resources are all reclaimed (files gone). */
    default void onDestroyed(final Domain domain)
    {
    }
}
