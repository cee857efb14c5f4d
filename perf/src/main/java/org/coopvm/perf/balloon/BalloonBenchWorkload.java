package org.coopvm.perf.balloon;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@code balloon-bench}: the balloon benchmark's guest workload. It does nothing, so every page
 * the guest holds is free for its balloon driver to give back; the benchmark touches the pages
 * itself. Runs on vCPU 0 at boot and returns at once.
 */
public final class BalloonBenchWorkload implements Workload
{
    /** The workload's name in the domain spec. */
    public static final String NAME = "balloon-bench";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        ctx.console().log(NAME + ": dom" + ctx.domid() + " holds " + ctx.memory().onlineFrames() + " pages, all free");
    }
}
