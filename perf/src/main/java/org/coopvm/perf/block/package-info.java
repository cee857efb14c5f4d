/**
 * {@code coop bench block}: 4 KiB random and 64 KiB sequential I/O on an image in tmpfs through a
 * guest's blkfront and dom0's blkback, next to direct {@code FileChannel} I/O on the same file
 * from one thread, in one run, with issue 7's ratio goals.
 */
package org.coopvm.perf.block;
