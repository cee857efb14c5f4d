/**
 * Round-trip latency: ping-pong transports (ours and peers), the HdrHistogram harness, and
 * the thread-pair and process-pair drivers.
 */
package org.coopvm.perf.latency;
