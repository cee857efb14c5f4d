package org.coopvm.hypervisor.api;

/**
 * Where a running host's management API is: the contents of {@code <run>/host.json}.
 *
 * @param pid         the host process id.
 * @param port        the API's TCP port on 127.0.0.1.
 * @param runDir      the run directory, absolute.
 * @param startedAtMs when the API came up, epoch milliseconds.
 *
 * <p>Thread safety: immutable.
 */
public record HostEndpoint(long pid, int port, String runDir, long startedAtMs)
{
}
