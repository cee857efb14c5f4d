package org.coopvm.cli.toolstack;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.api.ShutdownReason;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.trace.Tracer;
import org.coopvm.hypervisor.xenstore.XsPaths;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code coop shutdown} and {@code coop reboot} as libxl does them: the toolstack writes
 * {@code poweroff} or {@code reboot} to the guest's {@code control/shutdown} (when the guest
 * advertised {@code control/feature-poweroff} / {@code feature-reboot} = 1); the guest clears the
 * node and shuts itself down with that reason; the domain then gets its {@code on_*} action.
 * Unlike xl, the toolstack does not wait for ever: when the guest has not shut down within the
 * host's {@code shutdown_timeout_ms}, when it never advertised the feature, when the reason has no
 * {@code control/shutdown} command (suspend, crash, watchdog) or when forced ({@code -F}), the
 * domain is shut down in the hypervisor ({@code VIRQ_DOM_EXC}, the kernel stops), and the
 * shutdown's detail (in the trace) says which of these happened.
 *
 * <p>A paused domain is unpaused first (its guest must run to see the request); xl leaves it
 * paused, so its guest only acts once unpaused.
 *
 * <p>Thread safety: {@link #request} runs on API threads and returns at once; the timeout runs
 * on the housekeeping thread. No lock is held while a guest has time to act.
 */
final class ShutdownRequests
{
    /** Relative to the domain's home: the node the guest watches. */
    static final String CONTROL_SHUTDOWN = "control/shutdown";

    private final Toolstack toolstack;
    private final Hypervisor hypervisor;
    private final Housekeeping housekeeping;
    private final Tracer tracer;
    private final long timeoutMs;

    ShutdownRequests(final Toolstack toolstack, final Hypervisor hypervisor, final Housekeeping housekeeping, final Tracer tracer,
        final long timeoutMs)
    {
        this.toolstack = toolstack;
        this.hypervisor = hypervisor;
        this.housekeeping = housekeeping;
        this.tracer = tracer;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @param reason a shutdown reason.
     * @return the {@code control/shutdown} value that asks for it (Xen's strings), or null when
     *         there is none.
     */
    static String command(final ShutdownReason reason)
    {
        return switch (reason)
        {
            case POWEROFF -> "poweroff";
            case REBOOT -> "reboot";
            case SUSPEND, CRASH, WATCHDOG -> null;
        };
    }

    /**
     * Ask the guest of {@code record} to shut down, or shut it down at once (see the class).
     *
     * @param record the domain.
     * @param reason why.
     * @param force  skip asking the guest.
     * @throws HostControlException EBUSY when the domain has shut down or is going away already.
     */
    void request(final DomainRecord record, final ShutdownReason reason, final boolean force)
    {
        checkRunning(record);
        final String command = command(reason);
        if (force)
        {
            fallBack(record, reason, "forced by the toolstack (shutdown -F)");
        }
        else if (command == null)
        {
            fallBack(record, reason, "the toolstack shut it down: " + CONTROL_SHUTDOWN + " has no command for " + name(reason));
        }
        else if (!advertised(record.domid(), command))
        {
            fallBack(record, reason, "the toolstack shut it down: the guest did not advertise control/feature-" + command);
        }
        else
        {
            ask(record, reason, command);
        }
    }

    private void ask(final DomainRecord record, final ShutdownReason reason, final String command)
    {
        toolstack.unpauseForShutdown(record);
        hypervisor.xenstored().write(XsPaths.domainPath(record.domid()) + "/" + CONTROL_SHUTDOWN,
            command.getBytes(StandardCharsets.UTF_8));
        tracer.shutdownRequested(record.domid(), CONTROL_SHUTDOWN + "=" + command);
        housekeeping.after(timeoutMs, () -> expire(record, reason, command));
    }

    /** Housekeeping: the guest had its time; shut it down unless it did (or it went). */
    private void expire(final DomainRecord record, final ShutdownReason reason, final String command)
    {
        if (toolstack.isCurrent(record) && isRunning(record.domid()))
        {
            hypervisor.shutdown(record.domid(), reason.code(), "the toolstack shut it down: the guest did not shut down within " +
                timeoutMs + " ms of " + CONTROL_SHUTDOWN + "=" + command);
            record.guest().unpause();
        }
    }

    private void fallBack(final DomainRecord record, final ShutdownReason reason, final String why)
    {
        if (!hypervisor.shutdown(record.domid(), reason.code(), why))
        {
            throw goingAway(record);
        }
        record.guest().unpause(); // a paused guest must run to see VIRQ_DOM_EXC and stop
    }

    private boolean advertised(final int domid, final String command)
    {
        return hypervisor.xenstored().read(XsPaths.domainPath(domid) + "/control/feature-" + command)
            .map(value -> "1".equals(new String(value, StandardCharsets.UTF_8)))
            .orElse(false);
    }

    private void checkRunning(final DomainRecord record)
    {
        if (!isRunning(record.domid()))
        {
            throw goingAway(record);
        }
    }

    private boolean isRunning(final int domid)
    {
        final DomainStatus status = hypervisor.domain(domid).map(Domain::status).orElse(DomainStatus.DYING);
        return status == DomainStatus.RUNNING || status == DomainStatus.PAUSED;
    }

    private static HostControlException goingAway(final DomainRecord record)
    {
        return new HostControlException(Errno.EBUSY, "domain " + record.config().name() + " has shut down or is going away already");
    }

    private static String name(final ShutdownReason reason)
    {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
