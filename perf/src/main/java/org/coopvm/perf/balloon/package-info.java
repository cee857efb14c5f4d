/**
 * {@code coop bench balloon}: inflating and deflating one guest's balloon through the real path
 * ({@code memory/target} in xenstore, the guest's balloon driver, {@code memory_op}, the memory
 * file punched), seconds, GiB/s and the resident memory the host gets back, next to the raw
 * mechanism floor measured in the same run and the recorded virtio-balloon anchors.
 */
package org.coopvm.perf.balloon;
