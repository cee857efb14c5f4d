/**
 * Xen-layout request/response rings, byte-compatible with Xen's public {@code io/ring.h} on
 * x86-64: the shared header and slots ({@link org.coopvm.rings.xen.XenRingDescriptor}), the
 * front half that produces requests ({@link org.coopvm.rings.xen.FrontRing}) and the back half
 * that serves them ({@link org.coopvm.rings.xen.BackRing}), with Xen's push-and-check-notify
 * and final-check protocols. Each half returns "notify the peer?" and leaves sleeping and
 * waking to the doorbells.
 *
 * <p>Peer-written indices are read once, bounded, and reported as
 * {@link org.coopvm.rings.xen.RingFault} values; slots are copied to private memory before use.
 */
package org.coopvm.rings.xen;
