package org.coopvm.hypervisor;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.domain.DomainFaultListener;
import org.coopvm.hypervisor.hypercall.ConsoleSink;
import org.coopvm.hypervisor.hypercall.HypercallListener;
import org.coopvm.hypervisor.sched.runtime.CpuSchedulerConfig;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a {@link Hypervisor} is built from, validated once: where region files go, limits,
 * fairness and fault thresholds, clocks (inject virtual ones in tests), and the hooks the host
 * wires to its console, trace and metrics.
 *
 * @param runDir              the run directory (exists, 0700); {@code null}: in-process domains only, no files.
 * @param poolPages           the host's memory pool for all guests, in 4 KiB pages (at least 1).
 * @param maxEventChannels    per-domain event channel limit (ports 1..limit), 1..4095.
 * @param maxGrantHandles     most grant mappings one domain may hold.
 * @param faultThreshold      guest faults after which a domain is shut down as crashed.
 * @param pollLimit           most hypercalls taken from one domain per duty cycle.
 * @param heartbeatIntervalMs period of the host's liveness heartbeats in every start info.
 * @param idleSpins           dispatcher busy polls before yielding when idle.
 * @param idleYields          dispatcher yields before sleeping on the host doorbell.
 * @param waitConfig          tuning of the host's channel ends.
 * @param nanoClock           the host clock: absolute guest deadlines are on it (System.nanoTime by default).
 * @param epochClock          wall clock in ms, for liveness heartbeats.
 * @param console             where console_io writes go.
 * @param faultListener       told about guest faults and crashes.
 * @param hypercallListener   told about every answered hypercall.
 * @param cpu                 the CPU scheduler: algorithm, slots P (default: available processors),
 *                            slice, tick, rate limit, enforcement.
 *
 * <p>Thread safety: immutable.
 */
public record HypervisorConfig(
    Path runDir,
    long poolPages,
    int maxEventChannels,
    int maxGrantHandles,
    int faultThreshold,
    int pollLimit,
    long heartbeatIntervalMs,
    int idleSpins,
    int idleYields,
    WaitConfig waitConfig,
    NanoClock nanoClock,
    EpochClock epochClock,
    ConsoleSink console,
    DomainFaultListener faultListener,
    HypercallListener hypercallListener,
    CpuSchedulerConfig cpu)
{
    /** Default guest faults tolerated before a domain is crashed. */
    public static final int DEFAULT_FAULT_THRESHOLD = 64;
    /** Default fairness limit per domain per duty cycle. */
    public static final int DEFAULT_POLL_LIMIT = 16;
    /** Default most grant mappings per domain. */
    public static final int DEFAULT_MAX_GRANT_HANDLES = 4096;
    /** Default memory pool: {@link HostConfig#DEFAULT_POOL_MIB} in 4 KiB pages. */
    public static final long DEFAULT_POOL_PAGES = HostConfig.DEFAULT_POOL_MIB * 256L;
    /** Default heartbeat period, as the ABI says: 100 ms. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 100;

    /** Validate. */
    public HypervisorConfig
    {
        Objects.requireNonNull(waitConfig, "waitConfig");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(epochClock, "epochClock");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(faultListener, "faultListener");
        Objects.requireNonNull(hypercallListener, "hypercallListener");
        Objects.requireNonNull(cpu, "cpu");
        if (poolPages < 1 || maxEventChannels < 1 || maxEventChannels > 4095 || maxGrantHandles < 1 || faultThreshold < 0 ||
            pollLimit < 1 || heartbeatIntervalMs < 1 || idleSpins < 0 || idleYields < 0)
        {
            throw new IllegalArgumentException("invalid hypervisor config: " + this);
        }
    }

    /**
     * @param runDir the run directory, or {@code null} for in-process domains only.
     * @return defaults: a 1 GiB pool, 1023 channels, 4096 grant handles, threshold 64, poll limit 16, 100 ms
     *         heartbeats, system clocks, no-op hooks, the credit scheduler on one slot per available processor.
     */
    public static HypervisorConfig defaults(final Path runDir)
    {
        return new HypervisorConfig(runDir, DEFAULT_POOL_PAGES, EventChannelOpDescriptor.DEFAULT_MAX_CHANNELS, DEFAULT_MAX_GRANT_HANDLES,
            DEFAULT_FAULT_THRESHOLD, DEFAULT_POLL_LIMIT, DEFAULT_HEARTBEAT_INTERVAL_MS, 100, 2, WaitConfig.DEFAULT,
            new SystemNanoClock(), SystemEpochClock.INSTANCE, ConsoleSink.NONE, DomainFaultListener.NONE, HypercallListener.NONE,
            CpuSchedulerConfig.defaults());
    }

    /** @param pages the memory pool in pages. @return a copy with it. */
    public HypervisorConfig withPoolPages(final long pages)
    {
        return new HypervisorConfig(runDir, pages, maxEventChannels, maxGrantHandles, faultThreshold, pollLimit, heartbeatIntervalMs,
            idleSpins, idleYields, waitConfig, nanoClock, epochClock, console, faultListener, hypercallListener, cpu);
    }

    /** @param sink the console sink. @return a copy with it. */
    public HypervisorConfig withConsole(final ConsoleSink sink)
    {
        return new HypervisorConfig(runDir, poolPages, maxEventChannels, maxGrantHandles, faultThreshold, pollLimit, heartbeatIntervalMs,
            idleSpins, idleYields, waitConfig, nanoClock, epochClock, sink, faultListener, hypercallListener, cpu);
    }

    /** @param listener the fault listener. @return a copy with it. */
    public HypervisorConfig withFaultListener(final DomainFaultListener listener)
    {
        return new HypervisorConfig(runDir, poolPages, maxEventChannels, maxGrantHandles, faultThreshold, pollLimit, heartbeatIntervalMs,
            idleSpins, idleYields, waitConfig, nanoClock, epochClock, console, listener, hypercallListener, cpu);
    }

    /** @param listener the hypercall listener. @return a copy with it. */
    public HypervisorConfig withHypercallListener(final HypercallListener listener)
    {
        return new HypervisorConfig(runDir, poolPages, maxEventChannels, maxGrantHandles, faultThreshold, pollLimit, heartbeatIntervalMs,
            idleSpins, idleYields, waitConfig, nanoClock, epochClock, console, faultListener, listener, cpu);
    }

    /** @param clock the host clock. @return a copy with it. */
    public HypervisorConfig withNanoClock(final NanoClock clock)
    {
        return new HypervisorConfig(runDir, poolPages, maxEventChannels, maxGrantHandles, faultThreshold, pollLimit, heartbeatIntervalMs,
            idleSpins, idleYields, waitConfig, clock, epochClock, console, faultListener, hypercallListener, cpu);
    }

    /**
     * @param channels  per-domain event channel limit.
     * @param threshold fault threshold.
     * @return a copy with them.
     */
    public HypervisorConfig withLimits(final int channels, final int threshold)
    {
        return new HypervisorConfig(runDir, poolPages, channels, maxGrantHandles, threshold, pollLimit, heartbeatIntervalMs,
            idleSpins, idleYields, waitConfig, nanoClock, epochClock, console, faultListener, hypercallListener, cpu);
    }

    /** @param value the CPU scheduler's config. @return a copy with it. */
    public HypervisorConfig withCpu(final CpuSchedulerConfig value)
    {
        return new HypervisorConfig(runDir, poolPages, maxEventChannels, maxGrantHandles, faultThreshold, pollLimit, heartbeatIntervalMs,
            idleSpins, idleYields, waitConfig, nanoClock, epochClock, console, faultListener, hypercallListener, value);
    }
}
