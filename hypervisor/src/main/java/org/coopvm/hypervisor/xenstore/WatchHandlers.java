package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsMessageType;

import java.util.List;

/**
 * Handlers of WATCH, UNWATCH and RESET_WATCHES.
 *
 * <p>Thread safety: called under {@link Xenstored}'s lock.
 */
final class WatchHandlers
{
    private final Watches watches;
    private final XenstoreConfig config;

    WatchHandlers(final Watches watches, final XenstoreConfig config)
    {
        this.watches = watches;
        this.config = config;
    }

    void registerIn(final RequestTable table)
    {
        table.register(XsMessageType.WATCH, this::watch);
        table.register(XsMessageType.UNWATCH, this::unwatch);
        table.register(XsMessageType.RESET_WATCHES, this::reset);
    }

    private byte[] watch(final Request request)
    {
        final List<String> args = request.args(2);
        final String absolute = XsPaths.canonicalWatch(request.domid(), args.getFirst());
        watches.add(request.session(), args.getFirst(), absolute, args.get(1), config.maxWatchesPerDomain());
        request.afterReply(() -> watches.fireInitial(request.session(), args.getFirst(), args.get(1)));
        return Replies.OK;
    }

    private byte[] unwatch(final Request request)
    {
        final List<String> args = request.args(2);
        watches.remove(request.session(), XsPaths.canonicalWatch(request.domid(), args.getFirst()), args.get(1));
        return Replies.OK;
    }

    private byte[] reset(final Request request)
    {
        watches.removeAll(request.session());
        request.session().transactions().clear();
        return Replies.OK;
    }
}
