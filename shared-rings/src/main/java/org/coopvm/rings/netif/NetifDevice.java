package org.coopvm.rings.netif;

import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenbusDirectories;
import org.coopvm.rings.xenbus.XenstoreAccess;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A virtual network interface on xenbus: type {@code vif}, id its handle (0, 1, ... in the order
 * of the {@code vif = [...]} list), served by dom0, with the keys of {@code io/netif.h} as libxl,
 * Linux's netfront and netback write them.
 *
 * <ul>
 *   <li>toolstack, both directories: {@link #HANDLE}, {@link #MAC}; backend also {@link #RATE}
 *       (libxl's {@code bytes,microseconds}), {@link #RATE_PACKETS} (CoopVM's, packets per second)
 *       and {@link #TYPE_KEY};</li>
 *   <li>backend, with InitWait: {@link #FEATURE_RX_COPY} 1, {@link #FEATURE_RX_FLIP} 0,
 *       {@link #FEATURE_SG} 0, {@link #FEATURE_GSO_TCPV4} 0;</li>
 *   <li>frontend, with Initialised: {@link #TX_RING_REF}, {@link #RX_RING_REF},
 *       {@link #EVENT_CHANNEL}, {@link #REQUEST_RX_COPY} 1, {@link #FEATURE_RX_NOTIFY} 1.</li>
 * </ul>
 *
 * <p>Stateless; any thread may call it.
 */
public final class NetifDevice
{
    /** The xenbus device type. */
    public static final String TYPE = "vif";
    /** Both directories (toolstack): the vif's number. */
    public static final String HANDLE = "handle";
    /** Both directories (toolstack): the guest's MAC address, {@code xx:xx:xx:xx:xx:xx}. */
    public static final String MAC = "mac";
    /** Backend key (toolstack): {@code type}, {@code vif}. */
    public static final String TYPE_KEY = "type";
    /** Backend key (toolstack): libxl's credit {@code bytes,microseconds}; absent: unlimited. */
    public static final String RATE = "rate";
    /** Backend key (toolstack, CoopVM): packets per second; absent: unlimited. */
    public static final String RATE_PACKETS = "rate-packets";
    /** Frontend key: grant reference of the tx ring page. */
    public static final String TX_RING_REF = "tx-ring-ref";
    /** Frontend key: grant reference of the rx ring page. */
    public static final String RX_RING_REF = "rx-ring-ref";
    /** Frontend key: the guest's event channel port, unbound for the backend (tx and rx share it). */
    public static final String EVENT_CHANNEL = "event-channel";
    /** Frontend key: {@code 1}: receive by copy into posted buffers (the only mode served). */
    public static final String REQUEST_RX_COPY = "request-rx-copy";
    /** Frontend key: {@code 1}: the guest notifies when it posts rx buffers. */
    public static final String FEATURE_RX_NOTIFY = "feature-rx-notify";
    /** Backend key: {@code 1}: receive by copy. */
    public static final String FEATURE_RX_COPY = "feature-rx-copy";
    /** Backend key: {@code 0}: no page flipping. */
    public static final String FEATURE_RX_FLIP = "feature-rx-flip";
    /** Backend key: {@code 0}: no scatter-gather (one request per frame). */
    public static final String FEATURE_SG = "feature-sg";
    /** Backend key: {@code 0}: no TCP segmentation offload. */
    public static final String FEATURE_GSO_TCPV4 = "feature-gso-tcpv4";

    private NetifDevice()
    {
    }

    /**
     * @param frontendDomid the guest.
     * @param handle        the vif's number.
     * @return the xenbus device, served by dom0.
     */
    public static XenbusDevice of(final int frontendDomid, final int handle)
    {
        return new XenbusDevice(TYPE, handle, frontendDomid, 0);
    }

    /**
     * Toolstack: make the device's two directories before the guest boots (libxl's keys).
     *
     * @param dom0          a dom0 connection.
     * @param frontendDomid the guest.
     * @param handle        the vif's number.
     * @param mac           the guest's address.
     * @param backendExtra  further backend keys ({@link #RATE}, {@link #RATE_PACKETS}).
     */
    public static void create(final XenstoreAccess dom0, final int frontendDomid, final int handle, final MacAddress mac,
        final Map<String, String> backendExtra)
    {
        final Map<String, String> backend = new LinkedHashMap<>();
        backend.put(HANDLE, Integer.toString(handle));
        backend.put(MAC, mac.toString());
        backend.put(TYPE_KEY, TYPE);
        backend.putAll(backendExtra);
        XenbusDirectories.create(dom0, of(frontendDomid, handle),
            Map.of(HANDLE, Integer.toString(handle), MAC, mac.toString()), backend);
    }

    /**
     * Toolstack: remove the device's directories (after the backend let go of it).
     *
     * @param dom0          a dom0 connection.
     * @param frontendDomid the guest.
     * @param handle        the vif's number.
     */
    public static void remove(final XenstoreAccess dom0, final int frontendDomid, final int handle)
    {
        XenbusDirectories.remove(dom0, of(frontendDomid, handle));
    }
}
