/**
 * Example workloads found by {@code ServiceLoader}: {@code idle}, {@code cpu-burn},
 * {@code pingpong}, {@code console-echo}, {@code xenstore-watch}, and the memory workloads
 * {@code cache} (a key-value cache in guest pages, reclaimable, whose hit ratio follows its
 * memory) and {@code hog} (memory demand that follows a profile over time), which publish their
 * figures under their domain's {@code data/} in xenstore.
 */
package org.coopvm.examples.workload;
