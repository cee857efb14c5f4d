package org.coopvm.rings.xenbus;

import java.util.List;
import java.util.Optional;

/**
 * The node operations of xenstore, outside a transaction ({@link XenstoreAccess} itself) or
 * inside one (what {@link XenstoreAccess#transaction} hands its body: it sees the transaction's
 * snapshot, and its changes take effect at commit). Paths are absolute, or relative to the
 * caller's {@code /local/domain/<domid>}.
 *
 * <p>Missing nodes are values, not errors: {@link #read} answers empty, {@link #directory} an
 * empty list, {@link #rm} does nothing. Every other refusal is a
 * {@link XenstoreAccessException} with xenstored's errno.
 *
 * <p>Thread safety: as the {@link XenstoreAccess} they come from.
 */
public interface XenstoreNodes
{
    /**
     * @param path a node.
     * @return its value as UTF-8 text, empty when there is no such node.
     */
    Optional<String> read(String path);

    /**
     * Writes a node, creating missing parents (they inherit their parent's permissions).
     *
     * @param path  the node.
     * @param value its new value.
     */
    void write(String path, String value);

    /** @param path a node to create with an empty value if missing. */
    void mkdir(String path);

    /** @param path a node to remove with its subtree (missing is fine). */
    void rm(String path);

    /**
     * @param path a node.
     * @return the names of its children, empty when there is no such node.
     */
    List<String> directory(String path);

    /**
     * Replaces a node's permissions.
     *
     * @param path        the node.
     * @param permissions Xen's entries ({@code <n|r|w|b><domid>}), the first names the owner and
     *                    what every domain not listed may do.
     */
    void setPermissions(String path, List<String> permissions);
}
