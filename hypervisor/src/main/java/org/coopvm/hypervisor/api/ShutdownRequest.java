package org.coopvm.hypervisor.api;

/**
 * Body of {@code POST /v1/domains/{id}/shutdown}: {@code {"reason": "poweroff", "force": false}}.
 * An empty body means poweroff without force, as {@code xl shutdown}; a missing {@code force}
 * means false.
 *
 * @param reason why the toolstack asks the guest to shut down.
 * @param force  shut the domain down in the hypervisor at once instead of asking the guest
 *               through {@code control/shutdown} ({@code xl shutdown -F}).
 */
public record ShutdownRequest(ShutdownReason reason, boolean force)
{
}
