package org.coopvm.hypervisor.domain;

/**
 * Told about domain lifecycle changes: the lead wires it to tracing, metrics and the
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

    /** @param domain a domain whose resources are all reclaimed (files gone). */
    default void onDestroyed(final Domain domain)
    {
    }
}
