package org.coopvm.hypervisor.xenstore;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.domain.DomainSpec;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Keeps xenstore in step with domain lifecycles: a created guest gets its home
 * {@code /local/domain/<domid>} (owned by dom0, readable by the guest, by nobody else) with
 * {@code name}, {@code domid}, {@code memory/target} and {@code memory/static-max} (KiB),
 * {@code memory/minmem} (KiB, the balloon's floor; only when the domain has {@code minmem}),
 * {@code memory/deflate-on-pressure} ({@code 1}, only when negotiated: the guest's balloon may
 * take memory back under pressure), {@code cooperation/policy} and {@code cooperation/args/<key>}
 * (the guest-side cooperation policy and its parameters; only when the domain has one),
 * {@code cpu/<k>/availability}, and the guest-owned (writable)
 * {@code control/shutdown}, {@code control/feature-poweroff}, {@code control/feature-reboot},
 * {@code device} and {@code data}, as Xen's toolstack writes them; it is introduced
 * ({@code @introduceDomain}); a destroyed
 * guest's tree goes and it is released ({@code @releaseDomain}).
 *
 * <p>Thread safety: called by the hypervisor's lifecycle notifications on any thread.
 */
public final class XenstoreDomains implements DomainLifecycleListener
{
    /**
     * Nodes the guest owns, created empty, where Linux guests write: the shutdown request it
     * acknowledges, the features it advertises, its device frontends, and {@code data}, where
     * guest agents publish their figures (libxl makes it guest-writable too).
     */
    static final List<String> GUEST_WRITABLE = List.of(
        "control/shutdown", "control/feature-poweroff", "control/feature-reboot", "device", "data");

    /** The guest's cooperation policy, relative to its home. */
    public static final String COOPERATION_POLICY = "cooperation/policy";
    /** The directory of the cooperation policy's parameters, one node per key, relative to its home. */
    public static final String COOPERATION_ARGS = "cooperation/args";

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
        writeMemoryNodes(home, domain.spec());
        writeCooperationNodes(home, domain.spec());
        for (int vcpu = 0; vcpu < domain.nrVcpus(); vcpu++)
        {
            xenstored.write(home + "/cpu/" + vcpu + "/availability", "online".getBytes(StandardCharsets.UTF_8));
        }
        final Permissions guestOwned = new Permissions(List.of(new Permissions.Entry(Permissions.Access.NONE, domid)));
        for (final String writable : GUEST_WRITABLE)
        {
            xenstored.write(home + "/" + writable, new byte[0]);
            xenstored.setPermissions(home + "/" + writable, guestOwned);
        }
        xenstored.introduceDomain(domid);
    }

    /** The memory nodes, owned by dom0 like the home: the guest reads them and cannot write them. */
    private void writeMemoryNodes(final String home, final DomainSpec spec)
    {
        write(home + "/memory/target", Long.toString(spec.memoryKib()));
        write(home + "/memory/static-max", Long.toString(spec.maxmemKib()));
        if (spec.minmemKib() > 0)
        {
            write(home + "/memory/minmem", Long.toString(spec.minmemKib()));
        }
        if (spec.deflateOnPressure())
        {
            write(home + "/memory/deflate-on-pressure", "1");
        }
    }

    /** The cooperation policy, owned by dom0 like the memory nodes: the guest reads it, cannot change it. */
    private void writeCooperationNodes(final String home, final DomainSpec spec)
    {
        if (!spec.coopPolicy().isEmpty())
        {
            write(home + "/" + COOPERATION_POLICY, spec.coopPolicy());
            spec.coopPolicyArgs().forEach((key, value) -> write(home + "/" + COOPERATION_ARGS + "/" + key, value));
        }
    }

    private void write(final String path, final String value)
    {
        xenstored.write(path, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onDestroyed(final Domain domain)
    {
        xenstored.rm(XsPaths.domainPath(domain.domid()));
        xenstored.releaseDomain(domain.domid());
    }
}
