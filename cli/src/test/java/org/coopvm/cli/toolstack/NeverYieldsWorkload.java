package org.coopvm.cli.toolstack;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@code never-yields}: one task step on vCPU 0 that spins for a minute without reaching a safe
 * point, so the guest keeps its CPU slot whatever the host asks. Test code only.
 */
public final class NeverYieldsWorkload implements Workload
{
    private static final long SPIN_NS = 60_000_000_000L;

    @Override
    public String name()
    {
        return "never-yields";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        ctx.submit(task ->
        {
            final long endNs = System.nanoTime() + SPIN_NS;
            while (System.nanoTime() - endNs < 0)
            {
                Thread.onSpinWait();
            }
            return StepResult.DONE;
        });
    }
}
