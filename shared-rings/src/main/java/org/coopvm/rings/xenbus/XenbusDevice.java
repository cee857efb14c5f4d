package org.coopvm.rings.xenbus;

/**
 * Where one split device lives in xenstore, with Xen's paths: the frontend directory
 * {@code /local/domain/<frontend>/device/<type>/<id>} and the backend directory
 * {@code /local/domain/<backend>/backend/<type>/<frontend>/<id>}, and the keys the toolstack
 * and the two ends write there.
 *
 * @param type          the device type ({@code console}, {@code vbd}, {@code vif}, ...).
 * @param id            the device number within the frontend domain.
 * @param frontendDomid the guest that uses the device.
 * @param backendDomid  the domain that serves it (0: dom0).
 */
public record XenbusDevice(String type, int id, int frontendDomid, int backendDomid)
{
    /** Key of each end's {@link XenbusState}, written by that end. */
    public static final String STATE = "state";
    /** Frontend key: the backend directory's path (written by the toolstack). */
    public static final String BACKEND = "backend";
    /** Frontend key: the backend's domid (written by the toolstack). */
    public static final String BACKEND_ID = "backend-id";
    /** Backend key: the frontend directory's path (written by the toolstack). */
    public static final String FRONTEND = "frontend";
    /** Backend key: the frontend's domid (written by the toolstack). */
    public static final String FRONTEND_ID = "frontend-id";
    /** Backend key: 1 while the toolstack wants the device (written by the toolstack). */
    public static final String ONLINE = "online";

    /**
     * Checks the parts.
     */
    public XenbusDevice
    {
        if (type.isEmpty() || type.indexOf('/') >= 0 || id < 0 || frontendDomid < 0 || backendDomid < 0)
        {
            throw new IllegalArgumentException("bad xenbus device " + type + "/" + id + " of " + frontendDomid + " on " + backendDomid);
        }
    }

    /** @return {@code /local/domain/<frontend>/device/<type>/<id>}. */
    public String frontendPath()
    {
        return "/local/domain/" + frontendDomid + "/device/" + type + "/" + id;
    }

    /** @return {@code /local/domain/<backend>/backend/<type>/<frontend>/<id>}. */
    public String backendPath()
    {
        return backendTypePath(backendDomid, type) + "/" + frontendDomid + "/" + id;
    }

    /**
     * @param backendDomid the backend domain.
     * @param type         a device type.
     * @return {@code /local/domain/<backend>/backend/<type>}: what a backend driver watches to
     *         learn about new devices of its type.
     */
    public static String backendTypePath(final int backendDomid, final String type)
    {
        return "/local/domain/" + backendDomid + "/backend/" + type;
    }
}
