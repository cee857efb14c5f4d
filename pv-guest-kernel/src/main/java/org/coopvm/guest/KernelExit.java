package org.coopvm.guest;

import org.coopvm.guest.hypercall.ShutdownReason;

/**
 * Why a guest kernel stopped.
 *
 * <p>Thread safety: immutable.
 *
 * @param kind   what happened.
 * @param reason the shutdown reason for {@link Kind#SHUTDOWN}, else {@code null}.
 * @param detail a human-readable explanation.
 */
public record KernelExit(Kind kind, ShutdownReason reason, String detail)
{
    /** What ended the kernel. */
    public enum Kind
    {
        /** The guest shut itself down ({@code SCHEDOP_shutdown}). */
        SHUTDOWN,
        /** The host went away (process gone, heartbeat stale, channel closed). */
        HOST_GONE,
        /** Stopped from outside (an in-process host, a test). */
        STOPPED,
        /** Boot or the workload's start failed. */
        FAILED
    }

    /**
     * @param reason the shutdown reason.
     * @return a SHUTDOWN exit.
     */
    public static KernelExit shutdown(final ShutdownReason reason)
    {
        return new KernelExit(Kind.SHUTDOWN, reason, "shutdown " + reason.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** @return the exit status a process guest ends with: 0 shutdown/stopped, 2 host gone, 3 failed or crash. */
    public int processExitCode()
    {
        return switch (kind)
        {
            case SHUTDOWN -> reason == ShutdownReason.CRASH ? 3 : 0;
            case STOPPED -> 0;
            case HOST_GONE -> 2;
            case FAILED -> 3;
        };
    }
}
