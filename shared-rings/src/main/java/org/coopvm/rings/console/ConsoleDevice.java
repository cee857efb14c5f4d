package org.coopvm.rings.console;

import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenbusDirectories;
import org.coopvm.rings.xenbus.XenstoreAccess;

import java.util.Map;

/**
 * The console as a xenbus device, the layout Linux's {@code hvc_xen} and QEMU's xen console use
 * for xenbus consoles: type {@code console}, id 0, served by dom0. The toolstack creates
 * {@code /local/domain/<domid>/device/console/0} (with {@code type} = {@code xenconsoled}) and
 * {@code /local/domain/0/backend/console/<domid>/0}; the frontend writes {@code ring-ref} (the
 * grant reference of its {@link ConsoleRingDescriptor} page, {@link ConsoleRingDescriptor#GNTTAB_RESERVED_CONSOLE})
 * and {@code port} (its event channel, unbound for dom0) with state Initialised.
 *
 * <p>Stateless; any thread may call it.
 */
public final class ConsoleDevice
{
    /** The xenbus device type. */
    public static final String TYPE = "console";
    /** The device number of the (only) console. */
    public static final int ID = 0;
    /** Frontend key: the grant reference of the ring page, decimal. */
    public static final String RING_REF = "ring-ref";
    /** Frontend key: the guest's event channel port for dom0, decimal. */
    public static final String PORT = "port";
    /** Frontend key written by the toolstack: which dom0 program serves the console. */
    public static final String BACKEND_KIND = "type";
    /** The value of {@link #BACKEND_KIND}: the console daemon (CoopVM's console backend), as libxl writes it. */
    public static final String XENCONSOLED = "xenconsoled";

    private ConsoleDevice()
    {
    }

    /**
     * @param domid the guest.
     * @return its console device, served by dom0.
     */
    public static XenbusDevice of(final int domid)
    {
        return new XenbusDevice(TYPE, ID, domid, 0);
    }

    /**
     * Toolstack: make the guest's console device (both directories, {@code type} =
     * {@code xenconsoled} in the frontend's), before the guest boots.
     *
     * @param dom0  a dom0 connection.
     * @param domid the guest.
     */
    public static void create(final XenstoreAccess dom0, final int domid)
    {
        XenbusDirectories.create(dom0, of(domid), Map.of(BACKEND_KIND, XENCONSOLED), Map.of());
    }

    /**
     * Toolstack: remove the guest's console device (after the backend let go of it).
     *
     * @param dom0  a dom0 connection.
     * @param domid the guest.
     */
    public static void remove(final XenstoreAccess dom0, final int domid)
    {
        XenbusDirectories.remove(dom0, of(domid));
    }
}
