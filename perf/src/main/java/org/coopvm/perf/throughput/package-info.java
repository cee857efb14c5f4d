/**
 * One-way throughput of 64-byte messages: JMH benchmarks with one producer and one consumer
 * thread ({@code @Group}), for our rings and for the peers, and the runner that turns JMH's
 * results into report figures.
 */
package org.coopvm.perf.throughput;
