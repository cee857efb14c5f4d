package org.coopvm.perf.latency;

import org.coopvm.perf.report.WaitMode;
import org.coopvm.rings.doorbell.WaitConfig;

/** The doorbell wait tuning each benchmark wait mode stands for. Stateless; any thread. */
final class WaitConfigs
{
    /** Sleep as soon as nothing is there: no spins, no yields. */
    static final WaitConfig SLEEP_AT_ONCE = new WaitConfig(0, 0,
        WaitConfig.DEFAULT_LIVENESS_CHECK_INTERVAL_NS, WaitConfig.DEFAULT_HEARTBEAT_TIMEOUT_MS);

    private WaitConfigs()
    {
    }

    /**
     * @param mode {@link WaitMode#BLOCKING} or {@link WaitMode#SPIN_THEN_SLEEP}.
     * @return no spin phase for blocking, {@link WaitConfig#DEFAULT} for spin-then-sleep.
     */
    static WaitConfig of(final WaitMode mode)
    {
        return mode == WaitMode.SPIN_THEN_SLEEP ? WaitConfig.DEFAULT : SLEEP_AT_ONCE;
    }
}
