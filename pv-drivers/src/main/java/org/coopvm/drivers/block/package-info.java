/**
 * dom0's block backend (blkback) for raw image files: {@link org.coopvm.drivers.block.BlockBackend}
 * finds the disks the toolstack made in xenstore, goes through the xenbus handshake with Xen's
 * {@code io/blkif.h} keys and serves each connected ring on its own agent thread, answering bad
 * requests with counted errors ({@link org.coopvm.drivers.block.BlockError},
 * {@link org.coopvm.drivers.block.VbdCounters}). The guest's frontend is
 * {@code org.coopvm.guest.block}.
 */
package org.coopvm.drivers.block;
