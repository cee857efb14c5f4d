package org.coopvm.hypervisor.config;

/**
 * What the host does when a domain shuts down for a reason, as xl's {@code on_poweroff},
 * {@code on_reboot} and {@code on_crash}: written {@code "destroy"}, {@code "restart"} or
 * {@code "preserve"}.
 */
public enum LifecycleAction
{
    /** Destroy the domain and free everything it held. */
    DESTROY,
    /** Destroy the domain, then create a new one from the same config. */
    RESTART,
    /** Keep the shut-down domain (state SHUTDOWN) for inspection until it is destroyed. */
    PRESERVE
}
