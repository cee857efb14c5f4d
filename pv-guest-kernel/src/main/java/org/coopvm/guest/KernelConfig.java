package org.coopvm.guest;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.rings.balloon.BalloonStatsDescriptor;
import org.coopvm.rings.doorbell.WaitConfig;

import java.util.Set;

/**
 * Guest kernel settings, validated once.
 *
 * <p>Thread safety: immutable.
 *
 * @param epochClock          liveness heartbeats (epoch milliseconds; the host uses the same clock).
 * @param nanoClock           task timers.
 * @param waitConfig          spin/yield/sleep tuning of vCPU idle and hypercall waits.
 * @param heartbeatIntervalMs how often the guest heartbeats and checks the host.
 * @param hostTimeoutMs       a host heartbeat older than this means the host is gone.
 * @param stopGraceMs         how long a stop waits for vCPU threads to finish their step.
 * @param statsPeriodMs       how often the kernel publishes its memory stats in the balloon stats
 *                            region, {@link BalloonStatsDescriptor#MIN_PERIOD_MS}..{@link BalloonStatsDescriptor#MAX_PERIOD_MS}.
 * @param disabledDrivers     names of {@link org.coopvm.guest.driver.GuestDriver}s the kernel does
 *                            not start (e.g. {@code balloon}: a guest that never balloons), as a
 *                            Linux kernel built without a driver; empty by default.
 * @param idlePollNs          the longest a vCPU that runs out of work keeps its CPU slot and polls for
 *                            new work before it gives the slot back and sleeps (Linux's guest halt
 *                            polling, {@code guest_halt_poll_ns}): work arriving meanwhile runs without a
 *                            round trip through the host's scheduler; a preempt flag ends the poll at
 *                            once. Each vCPU adapts its own poll up to this, as KVM adapts
 *                            {@code halt_poll_ns} ({@link org.coopvm.rings.doorbell.AdaptivePollWindow}): it polls only after wake-ups
 *                            that came within this time, and not at all after a longer idle spell.
 *                            0..1,000,000 ns; default {@value #DEFAULT_IDLE_POLL_NS}; 0 never polls.
 * @param idleSlotKeepNs      the longest a vCPU that runs out of work (and polled) keeps its CPU slot
 *                            while it sleeps, before it gives the slot back: an event arriving
 *                            meanwhile wakes it on its own doorbell and it runs at once, without
 *                            asking the host's scheduler for a slot (a round trip through its
 *                            thread); no CPU is used while it sleeps, and a preempt flag (which
 *                            rings the vCPU's doorbell) makes it give the slot back at once.
 *                            Adapted per vCPU as the poll is: only after wake-ups that came within
 *                            this time. 0..{@value #MAX_IDLE_SLOT_KEEP_NS} ns; default
 *                            {@value #DEFAULT_IDLE_SLOT_KEEP_NS}; 0 gives the slot back right after
 *                            the poll.
 */
public record KernelConfig(
    EpochClock epochClock,
    NanoClock nanoClock,
    WaitConfig waitConfig,
    long heartbeatIntervalMs,
    long hostTimeoutMs,
    long stopGraceMs,
    long statsPeriodMs,
    Set<String> disabledDrivers,
    long idlePollNs,
    long idleSlotKeepNs)
{
    /** Default heartbeat interval, as the ABI says: 100 ms. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 100;
    /** Default host timeout, as the ABI says: 1 s. */
    public static final long DEFAULT_HOST_TIMEOUT_MS = 1000;
    /** Default stop grace: 1 s, so a guest whose host died exits within 2 s. */
    public static final long DEFAULT_STOP_GRACE_MS = 1000;
    /** Default stats period: 1 s. */
    public static final long DEFAULT_STATS_PERIOD_MS = 1000;
    /** Default idle poll: 50 us, a quarter of Linux's {@code guest_halt_poll_ns}. */
    public static final long DEFAULT_IDLE_POLL_NS = 50_000;
    /** Longest idle poll. */
    public static final long MAX_IDLE_POLL_NS = 1_000_000;
    /**
     * Default idle slot keep: 500 us, longer than the gaps between a network stream's wake-ups
     * (100-400 us on a 2-core host) and short enough that another vCPU waiting for the slot would
     * wait little even if the host did not ask for it.
     */
    public static final long DEFAULT_IDLE_SLOT_KEEP_NS = 500_000;
    /** Longest idle slot keep. */
    public static final long MAX_IDLE_SLOT_KEEP_NS = 10_000_000;

    /** System clocks, default waits and the ABI's liveness timing. */
    public static final KernelConfig DEFAULT = new KernelConfig(SystemEpochClock.INSTANCE, SystemNanoClock.INSTANCE,
        WaitConfig.DEFAULT, DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_HOST_TIMEOUT_MS, DEFAULT_STOP_GRACE_MS, DEFAULT_STATS_PERIOD_MS,
        Set.of(), DEFAULT_IDLE_POLL_NS, DEFAULT_IDLE_SLOT_KEEP_NS);

    /** Validates every field. */
    public KernelConfig
    {
        if (epochClock == null || nanoClock == null || waitConfig == null || disabledDrivers == null)
        {
            throw new IllegalArgumentException("clocks, waitConfig and disabledDrivers are required");
        }
        if (heartbeatIntervalMs < 1 || hostTimeoutMs <= heartbeatIntervalMs || stopGraceMs < 0)
        {
            throw new IllegalArgumentException("need heartbeatIntervalMs >= 1, hostTimeoutMs > heartbeatIntervalMs, stopGraceMs >= 0: " +
                heartbeatIntervalMs + ", " + hostTimeoutMs + ", " + stopGraceMs);
        }
        if (statsPeriodMs < BalloonStatsDescriptor.MIN_PERIOD_MS || statsPeriodMs > BalloonStatsDescriptor.MAX_PERIOD_MS)
        {
            throw new IllegalArgumentException("statsPeriodMs " + statsPeriodMs + " outside " + BalloonStatsDescriptor.MIN_PERIOD_MS +
                ".." + BalloonStatsDescriptor.MAX_PERIOD_MS);
        }
        if (idlePollNs < 0 || idlePollNs > MAX_IDLE_POLL_NS)
        {
            throw new IllegalArgumentException("idlePollNs " + idlePollNs + " outside 0.." + MAX_IDLE_POLL_NS);
        }
        if (idleSlotKeepNs < 0 || idleSlotKeepNs > MAX_IDLE_SLOT_KEEP_NS)
        {
            throw new IllegalArgumentException("idleSlotKeepNs " + idleSlotKeepNs + " outside 0.." + MAX_IDLE_SLOT_KEEP_NS);
        }
        disabledDrivers = Set.copyOf(disabledDrivers);
    }

    /**
     * The settings before stats existed, with the default stats period.
     *
     * @param epochClock          liveness heartbeats.
     * @param nanoClock           task timers.
     * @param waitConfig          wait tuning.
     * @param heartbeatIntervalMs heartbeat interval.
     * @param hostTimeoutMs       host timeout.
     * @param stopGraceMs         stop grace.
     */
    public KernelConfig(final EpochClock epochClock, final NanoClock nanoClock, final WaitConfig waitConfig,
        final long heartbeatIntervalMs, final long hostTimeoutMs, final long stopGraceMs)
    {
        this(epochClock, nanoClock, waitConfig, heartbeatIntervalMs, hostTimeoutMs, stopGraceMs, DEFAULT_STATS_PERIOD_MS, Set.of(),
            DEFAULT_IDLE_POLL_NS, DEFAULT_IDLE_SLOT_KEEP_NS);
    }

    /** @param ms the stats period. @return a copy with it. */
    public KernelConfig withStatsPeriodMs(final long ms)
    {
        return new KernelConfig(epochClock, nanoClock, waitConfig, heartbeatIntervalMs, hostTimeoutMs, stopGraceMs, ms, disabledDrivers,
            idlePollNs, idleSlotKeepNs);
    }

    /** @param names drivers not to start. @return a copy with them (replacing the previous set). */
    public KernelConfig withDisabledDrivers(final Set<String> names)
    {
        return new KernelConfig(epochClock, nanoClock, waitConfig, heartbeatIntervalMs, hostTimeoutMs, stopGraceMs, statsPeriodMs, names,
            idlePollNs, idleSlotKeepNs);
    }

    /** @param ns the idle poll. @return a copy with it. */
    public KernelConfig withIdlePollNs(final long ns)
    {
        return new KernelConfig(epochClock, nanoClock, waitConfig, heartbeatIntervalMs, hostTimeoutMs, stopGraceMs, statsPeriodMs,
            disabledDrivers, ns, idleSlotKeepNs);
    }

    /** @param ns the idle slot keep. @return a copy with it. */
    public KernelConfig withIdleSlotKeepNs(final long ns)
    {
        return new KernelConfig(epochClock, nanoClock, waitConfig, heartbeatIntervalMs, hostTimeoutMs, stopGraceMs, statsPeriodMs,
            disabledDrivers, idlePollNs, ns);
    }
}
