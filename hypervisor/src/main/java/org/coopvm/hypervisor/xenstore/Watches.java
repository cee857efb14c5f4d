package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;

import java.util.ArrayList;
import java.util.List;

/**
 * Registered watches, in registration order, and the firing rule: a change fires every watch
 * on its path or above it (exact events only the watch on that path), if the watcher may read
 * the node. A watch given as a relative path gets relative event paths, as in Xen.
 *
 * <p>Thread safety: used under {@link Xenstored}'s lock.
 */
public final class Watches
{
    private final List<Watch> watches = new ArrayList<>();

    private record Watch(XenstoreSession session, String asGiven, String absolute, String token)
    {
    }

    /**
     * Registers a watch and fires it once.
     *
     * @throws XsException EEXIST for a duplicate, E2BIG over the quota.
     */
    void add(final XenstoreSession session, final String asGiven, final String absolute, final String token,
             final int quota)
    {
        if (find(session, absolute, token) != null)
        {
            throw new XsException(XsErrno.EEXIST);
        }
        if (session.domid() != 0 && count(session) >= quota)
        {
            throw new XsException(XsErrno.E2BIG);
        }
        watches.add(new Watch(session, asGiven, absolute, token));
    }

    /**
     * @throws XsException ENOENT when there is no such watch.
     */
    void remove(final XenstoreSession session, final String absolute, final String token)
    {
        final Watch watch = find(session, absolute, token);
        if (watch == null)
        {
            throw new XsException(XsErrno.ENOENT);
        }
        watches.remove(watch);
    }

    void removeAll(final XenstoreSession session)
    {
        watches.removeIf(watch -> watch.session == session);
    }

    /** Sends the event every matching watch deserves. */
    void fire(final WatchEvent event)
    {
        for (final Watch watch : List.copyOf(watches))
        {
            if (matches(watch, event) && event.perms().canRead(watch.session.domid()))
            {
                send(watch, event.path());
            }
        }
    }

    /** Sends the first event of a just-registered watch. */
    void fireInitial(final XenstoreSession session, final String asGiven, final String token)
    {
        session.send(XsMessage.ofStrings(XsMessageType.WATCH_EVENT, 0, 0, asGiven, token));
    }

    /** @return watches of the session. */
    int count(final XenstoreSession session)
    {
        int count = 0;
        for (final Watch watch : watches)
        {
            count += watch.session == session ? 1 : 0;
        }
        return count;
    }

    private static boolean matches(final Watch watch, final WatchEvent event)
    {
        if (event.exact() || XsPaths.special(event.path()))
        {
            return watch.absolute.equals(event.path());
        }
        return !XsPaths.special(watch.absolute) && XsPaths.atOrBelow(event.path(), watch.absolute);
    }

    private static void send(final Watch watch, final String path)
    {
        watch.session.send(XsMessage.ofStrings(XsMessageType.WATCH_EVENT, 0, 0, reported(watch, path), watch.token));
    }

    private static String reported(final Watch watch, final String path)
    {
        if (watch.asGiven.startsWith("/") || XsPaths.special(path))
        {
            return path;
        }
        final String home = XsPaths.domainPath(watch.session.domid()) + "/";
        return path.startsWith(home) ? path.substring(home.length()) : path;
    }

    private Watch find(final XenstoreSession session, final String absolute, final String token)
    {
        for (final Watch watch : watches)
        {
            if (watch.session == session && watch.absolute.equals(absolute) && watch.token.equals(token))
            {
                return watch;
            }
        }
        return null;
    }
}
