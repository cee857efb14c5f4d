/**
 * The management API: {@link org.coopvm.hypervisor.api.HostControl} (what the toolstack asks
 * of the hypervisor), its records and errno-style errors, the token-guarded JSON/HTTP
 * {@link org.coopvm.hypervisor.api.ManagementServer} on 127.0.0.1 with {@code /metrics}, the
 * {@link org.coopvm.hypervisor.api.ManagementClient} the CLI uses, and the
 * {@link org.coopvm.hypervisor.api.RunDirectory} files through which clients find the host.
 *
 * <p>Routes: {@code GET /v1/domains}, {@code POST /v1/domains} (body: xl.cfg text),
 * {@code GET /v1/domains/{id}}, {@code POST /v1/domains/{id}/pause|unpause|shutdown|reboot|destroy},
 * {@code GET /v1/vcpus[?domain=]}, {@code GET /v1/host}, {@code POST /v1/host/stop}.
 */
package org.coopvm.hypervisor.api;
