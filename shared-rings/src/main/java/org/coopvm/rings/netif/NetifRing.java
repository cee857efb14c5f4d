package org.coopvm.rings.netif;

import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.xen.XenRingDescriptor;

/**
 * The geometry of the two one-page netif rings ({@code DEFINE_RING_TYPES(netif_tx, ...)} and
 * {@code (netif_rx, ...)}): Xen {@code io/ring.h} rings of 12-byte tx slots and 8-byte rx slots,
 * 256 entries each.
 *
 * <p>Stateless; any thread may call it.
 */
public final class NetifRing
{
    /** Bytes of one ring (one granted page). */
    public static final int RING_BYTES = Pages.PAGE_SIZE;
    /** Bytes of a tx slot: the union of request (12) and response (4). */
    public static final int TX_SLOT_LENGTH =
        Math.max(NetifTxRequestDescriptor.REQUEST_LENGTH, NetifTxResponseDescriptor.RESPONSE_LENGTH);
    /** Bytes of an rx slot: the union of request (8) and response (8). */
    public static final int RX_SLOT_LENGTH =
        Math.max(NetifRxRequestDescriptor.REQUEST_LENGTH, NetifRxResponseDescriptor.RESPONSE_LENGTH);
    /** {@code NET_TX_RING_SIZE}: 256. */
    public static final int TX_ENTRIES = XenRingDescriptor.entries(RING_BYTES, TX_SLOT_LENGTH);
    /** {@code NET_RX_RING_SIZE}: 256. */
    public static final int RX_ENTRIES = XenRingDescriptor.entries(RING_BYTES, RX_SLOT_LENGTH);
    /** Bytes of an Ethernet header (destination, source, ethertype). */
    public static final int ETH_HEADER_LENGTH = 14;
    /** Default MTU ({@code mtu} key absent): 1500, so frames up to 1514 bytes. */
    public static final int DEFAULT_MTU = 1500;

    private NetifRing()
    {
    }
}
