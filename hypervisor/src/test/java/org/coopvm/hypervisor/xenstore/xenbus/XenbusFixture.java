package org.coopvm.hypervisor.xenstore.xenbus;

import org.coopvm.hypervisor.xenstore.Permissions;
import org.coopvm.hypervisor.xenstore.XenstoreConfig;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;

import java.util.ArrayList;
import java.util.List;

/**
 * A xenstored with guest homes as the toolstack makes them ({@code /local/domain/<id>} readable
 * by the guest, {@code device} owned by it) and in-process sessions for dom0 and guests. Watch
 * events are delivered only by {@link #settle()}, on the test's thread.
 */
final class XenbusFixture implements AutoCloseable
{
    private static final int MAX_ROUNDS = 1_000;

    final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    final XenstoredAccess dom0 = XenstoredAccess.dom0(xenstored, () -> { });
    private final List<XenstoredAccess> sessions = new ArrayList<>(List.of(dom0));

    /**
     * @param domid a guest.
     * @return a session as that guest, with its home made.
     */
    XenstoredAccess guest(final int domid)
    {
        final String home = "/local/domain/" + domid;
        xenstored.mkdir(home);
        xenstored.setPermissions(home, new Permissions(List.of(new Permissions.Entry(Permissions.Access.NONE, 0),
            new Permissions.Entry(Permissions.Access.READ, domid))));
        xenstored.mkdir(home + "/device");
        xenstored.setPermissions(home + "/device", Permissions.of(domid, Permissions.Access.NONE));
        final XenstoredAccess session = new XenstoredAccess(xenstored, domid, () -> { });
        sessions.add(session);
        return session;
    }

    /** Delivers watch events on every session until none are left (bounded). */
    void settle()
    {
        for (int round = 0; round < MAX_ROUNDS; round++)
        {
            int delivered = 0;
            for (final XenstoredAccess session : sessions)
            {
                delivered += session.pollEvents();
            }
            if (delivered == 0)
            {
                return;
            }
        }
        throw new AssertionError("watch events still flowing after " + MAX_ROUNDS + " rounds");
    }

    @Override
    public void close()
    {
        sessions.forEach(XenstoredAccess::close);
    }
}
