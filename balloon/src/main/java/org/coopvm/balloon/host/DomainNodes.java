package org.coopvm.balloon.host;

import org.coopvm.hypervisor.xenstore.XsPaths;
import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.util.Optional;

/**
 * dom0's writes to a guest's xenstore home ({@code /local/domain/<id>/...}) that must never
 * recreate the tree of a domain destroyed meanwhile: each write is a transaction that first checks
 * the home's {@code domid} node still exists (destroy removes the whole tree, so a concurrent
 * destroy makes the commit fail with EAGAIN and the retry sees it gone).
 *
 * <p>Thread safety: stateless; any thread (as the access it is given).
 */
public final class DomainNodes
{
    /** The balloon target, KiB (Xen's). */
    public static final String TARGET = "memory/target";
    /** The maximum memory, KiB (Xen's). */
    public static final String STATIC_MAX = "memory/static-max";
    /** The latest convergence report (CoopVM's; written by dom0, readable by the guest). */
    public static final String BALLOON_REPORT = "memory/balloon-report";

    private DomainNodes()
    {
    }

    /**
     * @param domid    a domain.
     * @param relative a path below its home, e.g. {@link #TARGET}.
     * @return the absolute path.
     */
    public static String path(final int domid, final String relative)
    {
        return XsPaths.domainPath(domid) + "/" + relative;
    }

    /**
     * @param xenstore a dom0 connection.
     * @param domid    a domain.
     * @param relative a path below its home.
     * @param value    the value to write.
     * @return whether it was written (false: the domain's home is gone, or xenstored refused).
     */
    public static boolean writeIfPresent(final XenstoreAccess xenstore, final int domid, final String relative, final String value)
    {
        final String home = XsPaths.domainPath(domid);
        try
        {
            return xenstore.transaction(nodes ->
            {
                if (nodes.read(home + "/domid").isEmpty())
                {
                    return false;
                }
                nodes.write(home + "/" + relative, value);
                return true;
            });
        }
        catch (final XenstoreAccessException ex)
        {
            return false;
        }
    }

    /**
     * @param xenstore a connection.
     * @param domid    a domain.
     * @param relative a path below its home.
     * @return the node's value, empty when it is missing or unreadable.
     */
    public static Optional<String> read(final XenstoreAccess xenstore, final int domid, final String relative)
    {
        try
        {
            return xenstore.read(path(domid, relative));
        }
        catch (final XenstoreAccessException ex)
        {
            return Optional.empty();
        }
    }
}
