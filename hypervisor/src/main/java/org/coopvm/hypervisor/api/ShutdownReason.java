package org.coopvm.hypervisor.api;

/**
 * Why a domain shut down, with Xen's {@code SHUTDOWN_*} codes (xen/include/public/sched.h).
 */
public enum ShutdownReason
{
    /** The guest powered off (or was asked to). */
    POWEROFF(0),
    /** The guest asked to be restarted. */
    REBOOT(1),
    /** The guest suspended itself (save/migrate). */
    SUSPEND(2),
    /** The guest crashed, or the host judged it crashed (process died, heartbeat lost, garbage hypercalls). */
    CRASH(3),
    /** The guest's watchdog expired. */
    WATCHDOG(4);

    private static final ShutdownReason[] BY_CODE = values();

    private final int code;

    ShutdownReason(final int code)
    {
        this.code = code;
    }

    /**
     * @return Xen's {@code SHUTDOWN_*} value.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a {@code SHUTDOWN_*} value, e.g. from a guest's {@code sched_op(shutdown)}.
     * @return the reason, or null if the code is not one of Xen's.
     */
    public static ShutdownReason fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
