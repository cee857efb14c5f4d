package org.coopvm.rings.xenbus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The toolstack's part of xenbus (what libxl's {@code libxl__device_generic_add} and
 * {@code libxl__device_destroy} do): before the guest starts, {@link #create} makes both
 * directories of a device in one transaction; at teardown {@link #remove} deletes them.
 *
 * <ul>
 *   <li>backend directory: owned by the backend domain, readable by the frontend domain (and
 *       nobody else); keys {@code frontend}, {@code frontend-id}, {@code online} = 1,
 *       {@code state} = 1 (Initialising);</li>
 *   <li>frontend directory: owned by the frontend domain (it writes its details there),
 *       readable by the backend domain (and nobody else); keys {@code backend},
 *       {@code backend-id}, {@code state} = 1.</li>
 * </ul>
 *
 * <p>Thread safety: stateless; as thread safe as the {@link XenstoreAccess} given (a dom0 one).
 */
public final class XenbusDirectories
{
    private XenbusDirectories()
    {
    }

    /**
     * Creates the device's two directories (replacing what was there).
     *
     * @param dom0          a dom0 connection (it may set any owner).
     * @param device        the device.
     * @param frontendExtra more frontend keys (device-specific), written with the others.
     * @param backendExtra  more backend keys.
     */
    public static void create(final XenstoreAccess dom0, final XenbusDevice device, final Map<String, String> frontendExtra,
        final Map<String, String> backendExtra)
    {
        final Map<String, String> backend = new LinkedHashMap<>(backendExtra);
        backend.put(XenbusDevice.FRONTEND, device.frontendPath());
        backend.put(XenbusDevice.FRONTEND_ID, Integer.toString(device.frontendDomid()));
        backend.put(XenbusDevice.ONLINE, "1");
        backend.put(XenbusDevice.STATE, XenbusState.INITIALISING.text());
        final Map<String, String> frontend = new LinkedHashMap<>(frontendExtra);
        frontend.put(XenbusDevice.BACKEND, device.backendPath());
        frontend.put(XenbusDevice.BACKEND_ID, Integer.toString(device.backendDomid()));
        frontend.put(XenbusDevice.STATE, XenbusState.INITIALISING.text());
        dom0.transaction(tx ->
        {
            makeDirectory(tx, device.backendPath(), device.backendDomid(), device.frontendDomid(), backend);
            makeDirectory(tx, device.frontendPath(), device.frontendDomid(), device.backendDomid(), frontend);
            return null;
        });
    }

    /**
     * Removes the device's two directories, and the backend's per-frontend directory
     * ({@code backend/<type>/<fe>}) when it is left empty. Missing directories are fine.
     *
     * @param dom0   a dom0 connection.
     * @param device the device.
     */
    public static void remove(final XenstoreAccess dom0, final XenbusDevice device)
    {
        dom0.transaction(tx ->
        {
            tx.rm(device.frontendPath());
            tx.rm(device.backendPath());
            final String perFrontend = XenbusDevice.backendTypePath(device.backendDomid(), device.type()) + "/" + device.frontendDomid();
            if (tx.directory(perFrontend).isEmpty())
            {
                tx.rm(perFrontend);
            }
            return null;
        });
    }

    /**
     * @param owner  the owning domain.
     * @param reader the one other domain that may read.
     * @return Xen's permission entries: owner, no access for others, read for {@code reader}.
     */
    public static List<String> ownedAndReadableBy(final int owner, final int reader)
    {
        return List.of("n" + owner, "r" + reader);
    }

    private static void makeDirectory(final XenstoreNodes tx, final String path, final int owner, final int reader,
        final Map<String, String> keys)
    {
        tx.rm(path);
        tx.mkdir(path);
        tx.setPermissions(path, ownedAndReadableBy(owner, reader));
        keys.forEach((key, value) -> tx.write(path + "/" + key, value)); // new nodes inherit the directory's permissions
    }
}
