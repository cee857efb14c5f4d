/**
 * Xen's network device ABI ({@code io/netif.h}) on x86-64: the tx and rx request and response
 * layouts ({@link org.coopvm.rings.netif.NetifTxRequestDescriptor},
 * {@link org.coopvm.rings.netif.NetifTxResponseDescriptor},
 * {@link org.coopvm.rings.netif.NetifRxRequestDescriptor},
 * {@link org.coopvm.rings.netif.NetifRxResponseDescriptor}) with flyweights, the one-page ring
 * geometry ({@link org.coopvm.rings.netif.NetifRing}), MAC addresses and the xenbus keys of a
 * {@code vif} device ({@link org.coopvm.rings.netif.NetifDevice}). Rings themselves are
 * {@link org.coopvm.rings.xen.FrontRing} / {@link org.coopvm.rings.xen.BackRing}.
 */
package org.coopvm.rings.netif;
