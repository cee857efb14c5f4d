package org.coopvm.perf.hypercall;

import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.perf.report.WaitMode;
import org.coopvm.rings.doorbell.WaitConfig;

/**
 * How each benchmark wait mode tunes the two sides of a hypercall: the guest kernel's waits (its
 * vCPU idle and hypercall response waits) and the hypervisor dispatcher's idle strategy.
 * Spinning: both busy-poll (for up to {@value #SPIN_ITERATIONS} polls, then sleep as usual);
 * blocking: both sleep on their doorbell at once; spin-then-sleep: the defaults users get.
 * Stateless; any thread.
 */
final class WaitTuning
{
    /** Busy polls of a spinning waiter before it falls back to sleeping (seconds of spinning). */
    static final int SPIN_ITERATIONS = 50_000_000;

    private WaitTuning()
    {
    }

    static WaitConfig guest(final WaitMode mode)
    {
        return switch (mode)
        {
            case SPINNING -> new WaitConfig(SPIN_ITERATIONS, 0,
                WaitConfig.DEFAULT_LIVENESS_CHECK_INTERVAL_NS, WaitConfig.DEFAULT_HEARTBEAT_TIMEOUT_MS);
            case BLOCKING -> new WaitConfig(0, 0,
                WaitConfig.DEFAULT_LIVENESS_CHECK_INTERVAL_NS, WaitConfig.DEFAULT_HEARTBEAT_TIMEOUT_MS);
            case SPIN_THEN_SLEEP -> WaitConfig.DEFAULT;
        };
    }

    static HypervisorConfig host(final HypervisorConfig defaults, final WaitMode mode)
    {
        return switch (mode)
        {
            case SPINNING -> withIdle(defaults, SPIN_ITERATIONS, 0);
            case BLOCKING -> withIdle(defaults, 0, 0);
            case SPIN_THEN_SLEEP -> defaults;
        };
    }

    static String describe(final WaitMode mode)
    {
        return switch (mode)
        {
            case SPINNING -> "spinning: guest WaitConfig and dispatcher idle strategy busy-poll (" + SPIN_ITERATIONS +
                " spins before any sleep)";
            case BLOCKING -> "blocking: guest WaitConfig and dispatcher idle strategy with no spins or yields (sleep on the " +
                "doorbell at once)";
            case SPIN_THEN_SLEEP -> "spin-then-sleep: the defaults (guest WaitConfig.DEFAULT: 200 spins, 2 yields; " +
                "dispatcher HypervisorConfig.defaults: 100 spins, 2 yields), what users get";
        };
    }

    private static HypervisorConfig withIdle(final HypervisorConfig c, final int spins, final int yields)
    {
        return new HypervisorConfig(c.runDir(), c.poolPages(), c.maxEventChannels(), c.maxGrantHandles(), c.faultThreshold(), c.pollLimit(),
            c.heartbeatIntervalMs(), spins, yields, c.waitConfig(), c.nanoClock(), c.epochClock(), c.console(),
            c.faultListener(), c.hypercallListener(), c.cpu());
    }
}
