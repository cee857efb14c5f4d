package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@code idle}: does nothing; the vCPUs sleep on their doorbells and the guest burns no CPU
 * until the host shuts it down.
 */
public final class IdleWorkload implements Workload
{
    @Override
    public String name()
    {
        return "idle";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        ctx.console().log("idle: dom" + ctx.domid() + " is idle");
    }
}
