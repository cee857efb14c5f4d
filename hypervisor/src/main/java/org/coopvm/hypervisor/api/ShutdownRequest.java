package org.coopvm.hypervisor.api;

/**
 * Body of {@code POST /v1/domains/{id}/shutdown}: {@code {"reason": "poweroff"}}. An empty
 * body means poweroff, as {@code xl shutdown}.
 *
 * @param reason why the toolstack asks the guest to shut down.
 */
public record ShutdownRequest(ShutdownReason reason)
{
}
