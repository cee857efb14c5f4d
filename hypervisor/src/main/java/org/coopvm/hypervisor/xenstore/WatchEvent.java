package org.coopvm.hypervisor.xenstore;

/**
 * A change that may fire watches: the node's absolute path (or a special '@' path), the
 * permissions that decide who may see it, and whether only watches on exactly this path fire
 * (nodes removed below an rm's root) or every watch at or above it.
 *
 * @param path  the changed path.
 * @param perms the node's permissions (before removal for removed nodes).
 * @param exact true to fire only watches on exactly this path.
 */
public record WatchEvent(String path, Permissions perms, boolean exact)
{
}
