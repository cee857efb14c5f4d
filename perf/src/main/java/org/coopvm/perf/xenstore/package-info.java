/**
 * {@code coop bench xenstore}: xenstore READ and WRITE operations per second and latency
 * percentiles, from a dom0 tool over xenstored's Unix socket and from a guest over its ring page,
 * against a real {@code Xenstored}; Xen's own {@code xenstore-read}/{@code xenstore-write}
 * binaries as an optional per-process reference.
 */
package org.coopvm.perf.xenstore;
