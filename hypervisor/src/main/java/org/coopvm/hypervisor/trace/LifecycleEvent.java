package org.coopvm.hypervisor.trace;

import java.util.Locale;

/**
 * What happened in a {@link TraceRecordType#LIFECYCLE} record, with the code stored in its
 * {@code event} field (never renumber). Host events are recorded with domain id
 * {@link Tracer#HOST_DOMID} (the host is domain 0, as in Xen). Immutable; any thread.
 */
public enum LifecycleEvent
{
    HOST_STARTED(1),
    HOST_STOPPED(2),
    DOMAIN_CREATED(3),
    DOMAIN_STARTED(4),
    DOMAIN_PAUSED(5),
    DOMAIN_UNPAUSED(6),
    /** Detail is the shutdown reason (poweroff, reboot, suspend, crash, watchdog). */
    DOMAIN_SHUTDOWN(7),
    /** Detail says why the host decided the domain crashed. */
    DOMAIN_CRASHED(8),
    DOMAIN_DESTROYED(9),
    /** Code is the guest process's exit code. */
    GUEST_PROCESS_DIED(10),
    /** The toolstack asked the guest to shut down; detail is how (e.g. {@code control/shutdown=poweroff}). */
    SHUTDOWN_REQUESTED(11);

    private final byte code;
    private final String label;

    LifecycleEvent(final int code)
    {
        this.code = (byte)code;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the code stored in the record's {@code event} field.
     */
    public byte code()
    {
        return code;
    }

    /**
     * @return the lower-case name used in dumps, e.g. {@code domain_shutdown}.
     */
    public String label()
    {
        return label;
    }

    /**
     * @param code an {@code event} field read from a queue.
     * @return the event with that code, or null if the code is unknown (a newer writer).
     */
    public static LifecycleEvent fromCode(final byte code)
    {
        for (final LifecycleEvent event : values())
        {
            if (event.code == code)
            {
                return event;
            }
        }
        return null;
    }
}
