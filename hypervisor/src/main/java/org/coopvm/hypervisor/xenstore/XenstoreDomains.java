package org.coopvm.hypervisor.xenstore;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Keeps xenstore in step with domain lifecycles: a created guest gets its home
 * {@code /local/domain/<domid>} (owned by dom0, readable by the guest, by nobody else) with
 * {@code name} and {@code domid}, and is introduced ({@code @introduceDomain}); a destroyed
 * guest's tree goes and it is released ({@code @releaseDomain}).
 *
 * <p>Thread safety: called by the hypervisor's lifecycle notifications on any thread.
 */
public final class XenstoreDomains implements DomainLifecycleListener
{
    private final Xenstored xenstored;

    /**
     * @param xenstored the daemon.
     */
    public XenstoreDomains(final Xenstored xenstored)
    {
        this.xenstored = xenstored;
    }

    @Override
    public void onCreated(final Domain domain)
    {
        final int domid = domain.domid();
        final String home = XsPaths.domainPath(domid);
        xenstored.mkdir(home);
        xenstored.setPermissions(home, new Permissions(List.of(new Permissions.Entry(Permissions.Access.NONE, 0),
            new Permissions.Entry(Permissions.Access.READ, domid))));
        xenstored.write(home + "/name", domain.name().getBytes(StandardCharsets.UTF_8));
        xenstored.write(home + "/domid", Integer.toString(domid).getBytes(StandardCharsets.UTF_8));
        xenstored.introduceDomain(domid);
    }

    @Override
    public void onDestroyed(final Domain domain)
    {
        xenstored.rm(XsPaths.domainPath(domain.domid()));
        xenstored.releaseDomain(domain.domid());
    }
}
