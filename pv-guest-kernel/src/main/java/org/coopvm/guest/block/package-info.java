/**
 * The guest's block frontend (blkfront): the {@code block} guest driver finds the disks under
 * {@code device/vbd} and gives workloads an asynchronous block API
 * ({@link org.coopvm.guest.block.BlockDevice}: submit, completion callback on vCPU 0) over Xen
 * blkif rings shared with dom0's backend.
 */
package org.coopvm.guest.block;
