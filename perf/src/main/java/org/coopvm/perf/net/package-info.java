/**
 * {@code coop bench net}: a stream of 1500-byte frames and a ping-pong of small frames between two
 * process guests through netfront, netback and dom0's switch, next to single-core memcpy of the
 * same frames and the raw Xen ring round trip between two processes, in one run, with issue 7's
 * throughput goal.
 */
package org.coopvm.perf.net;
