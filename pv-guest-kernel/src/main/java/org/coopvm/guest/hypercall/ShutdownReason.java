package org.coopvm.guest.hypercall;

import org.coopvm.rings.hypercall.SchedOpDescriptor;

/**
 * Why a guest shuts itself down ({@code SCHEDOP_shutdown} reason codes, as Xen's {@code SHUTDOWN_*}).
 */
public enum ShutdownReason
{
    /** Clean halt. */
    POWEROFF(SchedOpDescriptor.SHUTDOWN_POWEROFF),
    /** Restart requested. */
    REBOOT(SchedOpDescriptor.SHUTDOWN_REBOOT),
    /** Suspend (save) requested. */
    SUSPEND(SchedOpDescriptor.SHUTDOWN_SUSPEND),
    /** The guest failed. */
    CRASH(SchedOpDescriptor.SHUTDOWN_CRASH),
    /** A watchdog fired. */
    WATCHDOG(SchedOpDescriptor.SHUTDOWN_WATCHDOG);

    private final int code;

    ShutdownReason(final int code)
    {
        this.code = code;
    }

    /** @return the u32 carried by {@code SCHEDOP_shutdown}. */
    public int code()
    {
        return code;
    }
}
