package org.coopvm.rings.blkif;

import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenbusDirectories;
import org.coopvm.rings.xenbus.XenstoreAccess;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A virtual block device on xenbus: type {@code vbd}, id the {@link VirtualDevice} number, and
 * the keys {@code io/blkif.h} defines for each end, as libxl, Linux's blkfront and blkback write
 * them.
 *
 * <ul>
 *   <li>toolstack, backend directory: {@link #PARAMS} (the image path), {@link #MODE}
 *       ({@code r} or {@code w}), {@link #DEV} (the name), {@link #DEVICE_TYPE},
 *       {@link #DISCARD_ENABLE}; frontend directory: {@link #VIRTUAL_DEVICE}, {@link #DEVICE_TYPE};</li>
 *   <li>backend, with InitWait: the {@code feature-*} keys and {@link #MAX_RING_PAGE_ORDER};
 *       with Connected: {@link #SECTORS}, {@link #SECTOR_SIZE}, {@link #INFO};</li>
 *   <li>frontend, with Initialised: {@link #RING_REF} (one page) or {@code ring-ref0..N} with
 *       {@link #RING_PAGE_ORDER}, {@link #EVENT_CHANNEL}, {@link #PROTOCOL},
 *       {@link #FEATURE_PERSISTENT}.</li>
 * </ul>
 *
 * <p>Stateless; any thread may call it.
 */
public final class BlkifDevice
{
    /** The xenbus device type. */
    public static final String TYPE = "vbd";
    /** Backend key (toolstack): the image file's path. */
    public static final String PARAMS = "params";
    /** Backend key (toolstack): {@code r} (read-only) or {@code w}. */
    public static final String MODE = "mode";
    /** Backend key (toolstack): the virtual device's name, e.g. {@code xvda}. */
    public static final String DEV = "dev";
    /** Both directories (toolstack): {@code disk}. */
    public static final String DEVICE_TYPE = "device-type";
    /** Backend key (toolstack): {@code 1} offers discard. */
    public static final String DISCARD_ENABLE = "discard-enable";
    /** Frontend key (toolstack): the virtual device number. */
    public static final String VIRTUAL_DEVICE = "virtual-device";
    /** Backend key: the disk's size in {@link #SECTOR_SIZE} units. */
    public static final String SECTORS = "sectors";
    /** Backend key: bytes of a logical sector (512). */
    public static final String SECTOR_SIZE = "sector-size";
    /** Backend key: {@code VDISK_*} bits. */
    public static final String INFO = "info";
    /** Backend key: {@code 1} when {@code BLKIF_OP_FLUSH_DISKCACHE} is served. */
    public static final String FEATURE_FLUSH_CACHE = "feature-flush-cache";
    /** Backend key: {@code 1} when {@code BLKIF_OP_WRITE_BARRIER} is served. */
    public static final String FEATURE_BARRIER = "feature-barrier";
    /** Backend key: {@code 1} when {@code BLKIF_OP_DISCARD} is served. */
    public static final String FEATURE_DISCARD = "feature-discard";
    /** Backend key: bytes of a discard extent. */
    public static final String DISCARD_GRANULARITY = "discard-granularity";
    /** Backend key: offset of the first discard extent. */
    public static final String DISCARD_ALIGNMENT = "discard-alignment";
    /** Backend key: {@code 1} when secure discard is served. */
    public static final String DISCARD_SECURE = "discard-secure";
    /** Both ends: {@code 1} when the end keeps grants mapped (backend) / reuses grants (frontend). */
    public static final String FEATURE_PERSISTENT = "feature-persistent";
    /** Backend key: the largest {@code ring-page-order} accepted. */
    public static final String MAX_RING_PAGE_ORDER = "max-ring-page-order";
    /**
     * Backend: most segments one indirect request may carry; present only when the backend
     * serves {@link BlkifRequestDescriptor#OP_INDIRECT}.
     */
    public static final String FEATURE_MAX_INDIRECT_SEGMENTS = "feature-max-indirect-segments";
    /** Frontend key: the grant reference of a one-page ring. */
    public static final String RING_REF = "ring-ref";
    /** Frontend key: log2 of the ring's pages (multi-page rings, with {@code ring-ref0..}). */
    public static final String RING_PAGE_ORDER = "ring-page-order";
    /** Frontend key: the guest's event channel port, unbound for the backend. */
    public static final String EVENT_CHANNEL = "event-channel";
    /** Frontend key: the ABI of the ring's structures. */
    public static final String PROTOCOL = "protocol";
    /** The only {@link #PROTOCOL} served: x86-64 layouts ({@code XEN_IO_PROTO_ABI_X86_64}). */
    public static final String PROTOCOL_X86_64 = "x86_64-abi";
    /** {@code VDISK_CDROM}. */
    public static final int VDISK_CDROM = 0x1;
    /** {@code VDISK_REMOVABLE}. */
    public static final int VDISK_REMOVABLE = 0x2;
    /** {@code VDISK_READONLY}. */
    public static final int VDISK_READONLY = 0x4;

    private BlkifDevice()
    {
    }

    /**
     * @param page a page index of a multi-page ring.
     * @return {@code ring-ref<page>}.
     */
    public static String ringRef(final int page)
    {
        return RING_REF + page;
    }

    /**
     * @param frontendDomid the guest.
     * @param device        the virtual device.
     * @return the xenbus device, served by dom0.
     */
    public static XenbusDevice of(final int frontendDomid, final VirtualDevice device)
    {
        return new XenbusDevice(TYPE, device.number(), frontendDomid, 0);
    }

    /**
     * Toolstack: make the device's two directories before the guest boots (libxl's keys).
     *
     * @param dom0          a dom0 connection.
     * @param frontendDomid the guest.
     * @param device        the virtual device.
     * @param imagePath     the image file, absolute.
     * @param readOnly      whether the guest may only read.
     */
    public static void create(final XenstoreAccess dom0, final int frontendDomid, final VirtualDevice device, final String imagePath,
        final boolean readOnly)
    {
        final Map<String, String> backend = new LinkedHashMap<>();
        backend.put(PARAMS, imagePath);
        backend.put(MODE, readOnly ? "r" : "w");
        backend.put(DEV, device.name());
        backend.put(DEVICE_TYPE, "disk");
        backend.put(DISCARD_ENABLE, readOnly ? "0" : "1");
        XenbusDirectories.create(dom0, of(frontendDomid, device),
            Map.of(VIRTUAL_DEVICE, Integer.toString(device.number()), DEVICE_TYPE, "disk"), backend);
    }

    /**
     * Toolstack: remove the device's directories (after the backend let go of it).
     *
     * @param dom0          a dom0 connection.
     * @param frontendDomid the guest.
     * @param device        the virtual device.
     */
    public static void remove(final XenstoreAccess dom0, final int frontendDomid, final VirtualDevice device)
    {
        XenbusDirectories.remove(dom0, of(frontendDomid, device));
    }
}
