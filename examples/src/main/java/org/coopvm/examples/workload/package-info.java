/**
 * Example workloads found by {@code ServiceLoader}: {@code idle}, {@code cpu-burn} and
 * {@code pingpong}.
 */
package org.coopvm.examples.workload;
