/**
 * Xen's block device ABI ({@code io/blkif.h}) on x86-64: the request, segment and response
 * layouts ({@link org.coopvm.rings.blkif.BlkifRequestDescriptor},
 * {@link org.coopvm.rings.blkif.BlkifSegmentDescriptor},
 * {@link org.coopvm.rings.blkif.BlkifResponseDescriptor}) with their flyweights, the ring geometry
 * for one or more pages ({@link org.coopvm.rings.blkif.BlkifRing}), and the xenbus keys of a
 * {@code vbd} device ({@link org.coopvm.rings.blkif.BlkifDevice},
 * {@link org.coopvm.rings.blkif.VirtualDevice}). Rings themselves are
 * {@link org.coopvm.rings.xen.FrontRing} / {@link org.coopvm.rings.xen.BackRing}.
 */
package org.coopvm.rings.blkif;
