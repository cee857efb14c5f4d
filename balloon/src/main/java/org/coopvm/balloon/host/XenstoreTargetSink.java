package org.coopvm.balloon.host;

import org.coopvm.balloon.engine.TargetSink;
import org.coopvm.rings.xenbus.XenstoreAccess;

/**
 * The policy engine's {@link TargetSink} on a real host: writes {@code memory/target} (KiB, as
 * Xen) through dom0's xenstore connection, as {@code xl mem-set} does, and never recreates the
 * tree of a domain destroyed meanwhile ({@link DomainNodes#writeIfPresent}). The guest's balloon
 * driver follows the node; the convergence tracker sees the write like any other.
 *
 * <p>Thread safety: the engine's thread (as the connection allows: any thread).
 */
public final class XenstoreTargetSink implements TargetSink
{
    private final XenstoreAccess xenstore;

    /** @param xenstore a dom0 connection. */
    public XenstoreTargetSink(final XenstoreAccess xenstore)
    {
        this.xenstore = xenstore;
    }

    @Override
    public boolean applyTarget(final int domid, final long targetKib)
    {
        return DomainNodes.writeIfPresent(xenstore, domid, DomainNodes.TARGET, Long.toString(targetKib));
    }
}
