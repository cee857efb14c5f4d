package org.coopvm.cli.toolstack;

import org.coopvm.guest.ShutdownWatch;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code shutdown-deaf}: a guest whose kernel advertised {@code control/feature-poweroff} but no
 * longer listens: at start it removes the kernel's watch on {@code control/shutdown}, then idles.
 * Test code only.
 */
public final class ShutdownDeafWorkload implements Workload
{
    /** Domains whose watch is gone. */
    static final Set<Integer> DEAF = ConcurrentHashMap.newKeySet();

    @Override
    public String name()
    {
        return "shutdown-deaf";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        ctx.xenstore().orElseThrow().unwatch(ShutdownWatch.PATH, ShutdownWatch.TOKEN);
        // the kernel's check for the watch's first firing is queued on vCPU 0 already: deaf once it ran
        ctx.submit(task ->
        {
            DEAF.add(ctx.domid());
            return StepResult.DONE;
        });
    }
}
