package org.coopvm.cli.toolstack;

import org.coopvm.drivers.net.NetBackend;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.VifConfig;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The toolstack's part of network interfaces (libxl's {@code libxl__device_nic_add} and its
 * teardown): before a guest boots, each vif of its config is checked (its MAC is not on another
 * running domain's vif: the switch would see one address on two ports) and its two xenbus
 * directories are made ({@code mac}, and the rate limiter's {@code rate} and {@code rate-packets}
 * for the backend), which the {@link NetBackend} picks up; when the domain is destroyed the
 * backend lets go of its vifs first (they leave the switch), then the directories go.
 *
 * <p>Thread safety: called under the {@link Toolstack}'s monitor.
 */
final class VifAttachments
{
    private final XenstoredAccess xenstore;
    private final NetBackend backend;

    VifAttachments(final XenstoredAccess xenstore, final NetBackend backend)
    {
        this.xenstore = xenstore;
        this.backend = backend;
    }

    /**
     * Check every vif of the config, then make the devices.
     *
     * @param domid  the new domain.
     * @param config its config.
     * @param others the other domains the toolstack runs.
     * @throws HostControlException naming the vif and the domain that has its MAC (nothing is made then).
     */
    void attach(final int domid, final DomainConfig config, final Collection<DomainRecord> others)
    {
        for (final VifConfig vif : config.vifs())
        {
            checkMacFree(domid, config, vif, others);
        }
        for (final VifConfig vif : config.vifs())
        {
            NetifDevice.create(xenstore, domid, vif.handle(), vif.macFor(domid), backendKeys(vif));
        }
    }

    /**
     * The backend releases the domain's vifs (switch port, rings, mappings), then their directories go.
     *
     * @param domid  the domain.
     * @param config its config.
     */
    void detach(final int domid, final DomainConfig config)
    {
        backend.detach(domid);
        for (final VifConfig vif : config.vifs())
        {
            NetifDevice.remove(xenstore, domid, vif.handle());
        }
    }

    private static Map<String, String> backendKeys(final VifConfig vif)
    {
        final Map<String, String> keys = new LinkedHashMap<>();
        vif.rateKey().ifPresent(rate -> keys.put(NetifDevice.RATE, rate));
        if (vif.ratePacketsPerSecond() > 0)
        {
            keys.put(NetifDevice.RATE_PACKETS, Long.toString(vif.ratePacketsPerSecond()));
        }
        return keys;
    }

    private static void checkMacFree(final int domid, final DomainConfig config, final VifConfig vif, final Collection<DomainRecord> others)
    {
        final MacAddress mac = vif.macFor(domid);
        for (final DomainRecord other : others)
        {
            for (final VifConfig theirs : other.config().vifs())
            {
                if (theirs.macFor(other.domid()).equals(mac))
                {
                    throw new HostControlException(Errno.EBUSY, "vif " + vif.handle() + " of " + config.name() + ": mac " + mac +
                        " is on vif " + theirs.handle() + " of " + other.config().name());
                }
            }
        }
    }
}
