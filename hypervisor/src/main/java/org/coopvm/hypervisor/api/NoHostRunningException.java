package org.coopvm.hypervisor.api;

import java.nio.file.Path;

/**
 * No CoopVM host answers at a run directory: none started, it died, or it is stopping.
 *
 * <p>Thread safety: immutable.
 */
public final class NoHostRunningException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param runDir the run directory looked at.
     * @param detail why, e.g. "host.json names pid 123, which is gone"; may be empty.
     */
    public NoHostRunningException(final Path runDir, final String detail)
    {
        super("no CoopVM host running at " + runDir + (detail.isEmpty() ? "" : " (" + detail + ")") +
            ": start one with ./coop host start");
    }
}
