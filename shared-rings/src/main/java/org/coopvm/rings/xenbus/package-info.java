/**
 * Xenbus, for both sides: the {@link org.coopvm.rings.xenbus.XenbusState} codes of
 * {@code io/xenbus.h}, the {@link org.coopvm.rings.xenbus.XenstoreAccess} a driver needs from
 * its domain's xenstore connection (adapters: the guest kernel's ring client, dom0's in-process
 * xenstored session), Xen's device paths ({@link org.coopvm.rings.xenbus.XenbusDevice}), the
 * per-end state machine ({@link org.coopvm.rings.xenbus.XenbusEnd}) with Xen's frontend and
 * backend rules, and the toolstack's directory helper. It is protocol, like {@code ring.h}, so
 * it lives with the rings: the guest kernel and dom0's backends both use it.
 */
package org.coopvm.rings.xenbus;
