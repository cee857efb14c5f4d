package org.coopvm.cli.demo;

import org.coopvm.hypervisor.api.BalloonState;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.HostInfo;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketClient;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketServer;
import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.usage.UsageRead;
import org.coopvm.rings.usage.UsageSnapshot;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the demo shows, the way tools do: the host's control for the domains (memory held,
 * resident bytes, the balloon's target and last report) and the policy's decisions, the usage page
 * (mapped read-only, as a guest maps it) for the free memory each guest reports, and xenstore
 * over its Unix socket for the cache's hit ratio. Everything a read cannot get shows as unknown;
 * nothing here fails the demo. Confined to the demo's thread; {@link #close()} unmaps and
 * disconnects.
 */
final class DemoSampler implements AutoCloseable
{
    private static final String HIT_RATIO = "/data/cache/hit-ratio";

    private final HostControl control;
    private final Path runDir;
    private final String policy;
    private final DemoDecisions decisions;
    private SharedRegion usageRegion;
    private UsagePageReader usage;
    private XenstoreSocketClient xenstore;

    DemoSampler(final HostControl control, final Path runDir, final String policy, final DemoDecisions decisions)
    {
        this.control = control;
        this.runDir = runDir;
        this.policy = policy;
        this.decisions = decisions;
    }

    /**
     * @param elapsedMs  time since the guests were created.
     * @param durationMs how long the demo runs.
     * @return the figures now.
     */
    DemoFrame sample(final long elapsedMs, final long durationMs)
    {
        final List<DomainInfo> domains = control.list();
        final HostInfo host = control.hostInfo();
        final Optional<UsageSnapshot> snapshot = usage();
        decisions.refresh();
        final List<DemoRow> rows = new ArrayList<>();
        long resident = 0;
        for (final DomainInfo domain : domains)
        {
            resident += domain.residentBytes();
            final Optional<DomainUsage> entry = snapshot.flatMap(s -> s.domain(domain.domid()));
            final BalloonState balloon = domain.balloon();
            rows.add(new DemoRow(domain.name(), domain.domid(), domain.memoryKib(),
                balloon != null ? balloon.targetKib() : entry.map(DomainUsage::targetKib).orElse(0L),
                entry.filter(e -> e.statsState().hasValues()).map(DomainUsage::guestFreeKib).orElse(-1L),
                hitRatio(domain.domid()), lastChange(balloon),
                decisions.lastFor(domain.domid())));
        }
        return new DemoFrame(elapsedMs, durationMs, policy, host.poolMib() * 1024L, host.freeMib() * 1024L, resident, rows);
    }

    /**
     * @param balloon a domain's balloon state, null when the host tracks none.
     * @return how its latest finished change went ({@code coop list}'s words), else {@code tracking} while
     *         its first is under way, else empty. A policy rewrites targets every round, so "the change
     *         now tracked" would nearly always read {@code tracking}; the last report says more.
     */
    static String lastChange(final BalloonState balloon)
    {
        if (balloon == null)
        {
            return "";
        }
        if (balloon.lastReport() != null)
        {
            return balloon.lastReport().summary();
        }
        return balloon.tracking() ? "tracking" : "";
    }

    @Override
    public void close()
    {
        if (usageRegion != null)
        {
            usageRegion.close();
            usageRegion = null;
        }
        closeXenstore();
    }

    private Optional<UsageSnapshot> usage()
    {
        try
        {
            if (usage == null)
            {
                usageRegion = SharedRegion.attachFileReadOnly(new DomainFiles(runDir).usage(), RegionType.USAGE);
                usage = new UsagePageReader(usageRegion.payload());
            }
            return usage.read() instanceof UsageRead.Snapshot(final UsageSnapshot snapshot) ? Optional.of(snapshot) : Optional.empty();
        }
        catch (final RuntimeException ex)
        {
            return Optional.empty(); // not there yet: unknown this time
        }
    }

    private double hitRatio(final int domid)
    {
        try
        {
            if (xenstore == null)
            {
                xenstore = new XenstoreSocketClient(runDir.resolve(XenstoreSocketServer.SOCKET_NAME));
            }
            final XsMessage reply = xenstore.call(XsMessageType.READ, 0, "/local/domain/" + domid + HIT_RATIO);
            return reply.type() == XsMessageType.ERROR.code() ? Double.NaN : Double.parseDouble(reply.text().strip());
        }
        catch (final IOException ex)
        {
            closeXenstore();
            return Double.NaN;
        }
        catch (final NumberFormatException ex)
        {
            return Double.NaN;
        }
    }

    private void closeXenstore()
    {
        if (xenstore != null)
        {
            try
            {
                xenstore.close();
            }
            catch (final IOException ex)
            {
                // closing a local socket: nothing to do about it
            }
            xenstore = null;
        }
    }
}
