package org.coopvm.rings.xenstore;

/**
 * XenStore message types with Xen's numbers ({@code enum xsd_sockmsg_type}).
 *
 * <p>Thread safety: immutable.
 */
public enum XsMessageType
{
    /** Debug/control commands (not served here: ENOSYS). */
    CONTROL(0),
    /** List the children of a node. */
    DIRECTORY(1),
    /** Read a node's value. */
    READ(2),
    /** Read a node's permission list. */
    GET_PERMS(3),
    /** Register a watch: path, token. */
    WATCH(4),
    /** Remove a watch: path, token. */
    UNWATCH(5),
    /** Start a transaction; the reply is its id. */
    TRANSACTION_START(6),
    /** End a transaction: "T" commits, "F" aborts. */
    TRANSACTION_END(7),
    /** dom0 tells xenstored about a new domain: domid, mfn, port. */
    INTRODUCE(8),
    /** dom0 tells xenstored a domain is gone: domid. */
    RELEASE(9),
    /** The home path of a domain: /local/domain/&lt;domid&gt;. */
    GET_DOMAIN_PATH(10),
    /** Write a node's value, creating missing parents. */
    WRITE(11),
    /** Create a node (and parents) if missing. */
    MKDIR(12),
    /** Remove a node and its subtree. */
    RM(13),
    /** Replace a node's permission list. */
    SET_PERMS(14),
    /** Server to client: a watch fired (path, token). */
    WATCH_EVENT(15),
    /** Server to client: the request failed; payload is the errno name. */
    ERROR(16),
    /** Whether a domain was introduced: "T" or "F". */
    IS_DOMAIN_INTRODUCED(17),
    /** Resume a domain (not served here: ENOSYS). */
    RESUME(18),
    /** Set a domain's target (not served here: ENOSYS). */
    SET_TARGET(19),
    /** Drop all watches and transactions of the connection. */
    RESET_WATCHES(21),
    /** Part of a directory listing: path, offset; reply generation then names. */
    DIRECTORY_PART(22);

    private static final XsMessageType[] BY_CODE = new XsMessageType[32];

    static
    {
        for (final XsMessageType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    XsMessageType(final int code)
    {
        this.code = code;
    }

    /** @return Xen's number for this type. */
    public int code()
    {
        return code;
    }

    /**
     * @param code a type number from a header (untrusted).
     * @return the type, or null when Xen has no such type.
     */
    public static XsMessageType fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
