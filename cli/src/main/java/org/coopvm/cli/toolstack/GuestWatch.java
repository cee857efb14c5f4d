package org.coopvm.cli.toolstack;

import org.agrona.concurrent.EpochClock;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.rings.doorbell.PeerLiveness;
import org.coopvm.rings.doorbell.PeerLivenessDescriptor;

/**
 * Notices guests that stopped heartbeating: a running domain whose guest attached and then let
 * its heartbeat go stale for longer than the timeout is treated as dead (a hung JVM, or one
 * whose death the process watch has not seen yet). Process exits are seen directly
 * ({@link Guest#onExit}); this catches the rest. A guest the host stopped is not silent: a paused
 * domain, or one the CPU scheduler suspended for overruns (a process guest gets {@code SIGSTOP});
 * after either ends, its heartbeat has the timeout again to come back.
 *
 * <p>Runs on the housekeeping thread.
 */
final class GuestWatch implements Runnable
{
    /** Heartbeat silence after which a guest counts as dead (the 1 s). */
    static final long HEARTBEAT_TIMEOUT_MS = 1000;
    /** How often the watch looks. */
    static final long PERIOD_MS = 200;

    private final Toolstack toolstack;
    private final EpochClock clock;

    GuestWatch(final Toolstack toolstack, final EpochClock clock)
    {
        this.toolstack = toolstack;
        this.clock = clock;
    }

    @Override
    public void run()
    {
        final long nowMs = clock.time();
        for (final DomainRecord record : toolstack.records())
        {
            if (isSilent(record, nowMs))
            {
                toolstack.guestUnresponsive(record, "guest heartbeat lost for more than " + HEARTBEAT_TIMEOUT_MS + " ms");
            }
        }
    }

    private boolean isSilent(final DomainRecord record, final long nowMs)
    {
        final Domain domain = toolstack.hypervisor().domain(record.domid()).orElse(null);
        if (domain == null || domain.status() != DomainStatus.RUNNING || nowMs - record.runningSinceMs() < HEARTBEAT_TIMEOUT_MS ||
            toolstack.hypervisor().cpuScheduler().suspendedUntilNs(record.domid()).isPresent())
        {
            return false;
        }
        final PeerLiveness guest = domain.guestLiveness();
        return guest.state() == PeerLivenessDescriptor.STATE_ALIVE && nowMs - guest.heartbeatMs() > HEARTBEAT_TIMEOUT_MS;
    }
}
