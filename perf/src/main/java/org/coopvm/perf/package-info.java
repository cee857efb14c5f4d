/**
 * Benchmarks of CoopVM next to its peers. {@link org.coopvm.perf.RingsBenchmark} runs the
 * ring benchmarks of {@code coop bench rings}: throughput (JMH), round trips (HdrHistogram)
 * and the idle waiter's CPU, and returns a {@link org.coopvm.perf.report.RingsReport}.
 */
package org.coopvm.perf;
