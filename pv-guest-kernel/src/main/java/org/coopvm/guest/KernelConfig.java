package org.coopvm.guest;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.rings.doorbell.WaitConfig;

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
 */
public record KernelConfig(
    EpochClock epochClock,
    NanoClock nanoClock,
    WaitConfig waitConfig,
    long heartbeatIntervalMs,
    long hostTimeoutMs,
    long stopGraceMs)
{
    /** Default heartbeat interval, as the ABI says: 100 ms. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 100;
    /** Default host timeout, as the ABI says: 1 s. */
    public static final long DEFAULT_HOST_TIMEOUT_MS = 1000;
    /** Default stop grace: 1 s, so a guest whose host died exits within 2 s. */
    public static final long DEFAULT_STOP_GRACE_MS = 1000;

    /** System clocks, default waits and the ABI's liveness timing. */
    public static final KernelConfig DEFAULT = new KernelConfig(SystemEpochClock.INSTANCE, SystemNanoClock.INSTANCE,
        WaitConfig.DEFAULT, DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_HOST_TIMEOUT_MS, DEFAULT_STOP_GRACE_MS);

    /** Validates every field. */
    public KernelConfig
    {
        if (epochClock == null || nanoClock == null || waitConfig == null)
        {
            throw new IllegalArgumentException("clocks and waitConfig are required");
        }
        if (heartbeatIntervalMs < 1 || hostTimeoutMs <= heartbeatIntervalMs || stopGraceMs < 0)
        {
            throw new IllegalArgumentException("need heartbeatIntervalMs >= 1, hostTimeoutMs > heartbeatIntervalMs, stopGraceMs >= 0: " +
                heartbeatIntervalMs + ", " + hostTimeoutMs + ", " + stopGraceMs);
        }
    }
}
