package org.coopvm.hypervisor.api;

import org.coopvm.hypervisor.config.DomainConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link HostControl} that only keeps books, for testing the API and the CLI: domains have a
 * state and reserve pool memory, nothing runs. Test code only.
 *
 * <p>Thread safety: every method is synchronized.
 */
public final class InMemoryHostControl implements HostControl
{
    private final Map<Integer, DomainInfo> domains = new TreeMap<>();
    private final int poolMib;
    private final String runDir;
    private int nextDomid = 1;
    private boolean stopped;
    private int forcedShutdowns;

    /**
     * @param poolMib pool size; creating beyond it fails with ENOMEM.
     * @param runDir  reported by {@link #hostInfo()}.
     */
    public InMemoryHostControl(final int poolMib, final String runDir)
    {
        this.poolMib = poolMib;
        this.runDir = runDir;
    }

    @Override
    public synchronized List<DomainInfo> list()
    {
        return List.copyOf(domains.values());
    }

    @Override
    public synchronized DomainInfo create(final DomainConfig config)
    {
        if (domains.values().stream().anyMatch(d -> d.name().equals(config.name())))
        {
            throw new HostControlException(Errno.EEXIST, "domain name '" + config.name() + "' is taken");
        }
        if (config.memoryMib() > freeMib())
        {
            throw new HostControlException(Errno.ENOMEM, "domain '" + config.name() + "' needs " + config.memoryMib() +
                " MiB, the pool has " + freeMib() + " MiB free");
        }
        final DomainInfo info = new DomainInfo(nextDomid++, config.name(), DomainState.RUNNING, null, config.vcpus(),
            config.memoryMib() * 1024L, config.maxmemMib() * 1024L, config.minmemMib() * 1024L, config.memoryMib() * 1024L * 1024,
            config.isolation(), -1, 1_500_000_000L, 10, null);
        domains.put(info.domid(), info);
        return info;
    }

    @Override
    public synchronized DomainInfo info(final String nameOrDomid)
    {
        return domains.values().stream()
            .filter(d -> d.name().equals(nameOrDomid) || String.valueOf(d.domid()).equals(nameOrDomid))
            .findFirst()
            .orElseThrow(() -> new HostControlException(Errno.ENOENT, "no domain '" + nameOrDomid + "'"));
    }

    @Override
    public synchronized void pause(final String nameOrDomid)
    {
        move(nameOrDomid, DomainState.RUNNING, DomainState.PAUSED, null);
    }

    @Override
    public synchronized void unpause(final String nameOrDomid)
    {
        move(nameOrDomid, DomainState.PAUSED, DomainState.RUNNING, null);
    }

    @Override
    public synchronized void shutdown(final String nameOrDomid, final ShutdownReason reason, final boolean force)
    {
        move(nameOrDomid, DomainState.RUNNING, DomainState.SHUTDOWN, reason);
        forcedShutdowns += force ? 1 : 0;
    }

    /** @return shutdowns asked with {@code force}. */
    public synchronized int forcedShutdowns()
    {
        return forcedShutdowns;
    }

    @Override
    public synchronized void reboot(final String nameOrDomid)
    {
        move(nameOrDomid, DomainState.RUNNING, DomainState.SHUTDOWN, ShutdownReason.REBOOT);
    }

    @Override
    public synchronized void destroy(final String nameOrDomid)
    {
        domains.remove(info(nameOrDomid).domid());
    }

    @Override
    public synchronized List<VcpuInfo> vcpus(final String nameOrDomid)
    {
        final List<DomainInfo> chosen = nameOrDomid == null ? list() : List.of(info(nameOrDomid));
        final List<VcpuInfo> vcpus = new ArrayList<>();
        for (final DomainInfo domain : chosen)
        {
            for (int i = 0; i < domain.vcpus(); i++)
            {
                final VcpuState state = domain.state() == DomainState.RUNNING ? VcpuState.BLOCKED : VcpuState.OFFLINE;
                vcpus.add(new VcpuInfo(domain.domid(), i, state, 250_000_000L * (i + 1)));
            }
        }
        return vcpus;
    }

    @Override
    public synchronized HostInfo hostInfo()
    {
        return new HostInfo(ProcessHandle.current().pid(), poolMib, freeMib(), 2, runDir, 1234, domains.size());
    }

    @Override
    public synchronized void stop()
    {
        domains.clear();
        stopped = true;
    }

    /**
     * @return whether {@link #stop()} was called.
     */
    public synchronized boolean stopped()
    {
        return stopped;
    }

    private int freeMib()
    {
        return poolMib - (int)(domains.values().stream().mapToLong(DomainInfo::memoryKib).sum() / 1024);
    }

    private void move(final String nameOrDomid, final DomainState from, final DomainState to, final ShutdownReason reason)
    {
        final DomainInfo d = info(nameOrDomid);
        if (d.state() != from)
        {
            throw new HostControlException(Errno.EINVAL, "domain '" + d.name() + "' is " + d.state() + ", not " + from);
        }
        domains.put(d.domid(), new DomainInfo(d.domid(), d.name(), to, reason, d.vcpus(), d.memoryKib(), d.maxmemKib(),
            d.minmemKib(), d.residentBytes(), d.isolation(), d.pid(), d.cpuTimeNs(), d.uptimeMs(), d.balloon()));
    }
}
