package org.coopvm.drivers.block;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@code block-idle}: does nothing; the block tests drive the guest's disks from the test thread
 * through {@code GuestContext.blockDevices()}.
 */
public final class BlockIdleWorkload implements Workload
{
    @Override
    public String name()
    {
        return "block-idle";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        // the test drives the disks
    }
}
