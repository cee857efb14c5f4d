package org.coopvm.guest.coop;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.rings.usage.UsageRead;

import java.util.concurrent.TimeUnit;

/**
 * The kernel task that runs a guest's {@link CooperationPolicy}: starts it on its first step, then
 * every period reads the usage page and hands a consistent copy to
 * {@link CooperationPolicy#onUsage}; between periods it sleeps on its timer (no polling). A period
 * whose read gave no copy (not published yet, torn) is skipped and counted; a policy call that
 * throws is counted and reported on the console, and the policy runs again next period. A policy
 * whose {@link CooperationPolicy#start} throws does not run.
 *
 * <p>Thread safety: steps run on the vCPU it was submitted to; the counters and {@link #stop()}
 * from any thread.
 */
public final class CooperationRunner implements Task
{
    private final CooperationPolicies.Selection selection;
    private final CooperationContext ctx;
    private final long periodNs;
    private boolean started;
    private long nextDueNs;
    private volatile boolean stopped;
    private volatile long rounds;
    private volatile long skipped;
    private volatile long failures;

    /**
     * @param selection the configured policy and its period.
     * @param ctx       the guest's services for it.
     */
    public CooperationRunner(final CooperationPolicies.Selection selection, final CooperationContext ctx)
    {
        this.selection = selection;
        this.ctx = ctx;
        this.periodNs = TimeUnit.MILLISECONDS.toNanos(selection.periodMs());
    }

    @Override
    public StepResult step(final TaskContext task)
    {
        if (stopped || (!started && !start()))
        {
            return StepResult.DONE;
        }
        final long nowNs = task.nowNs();
        if (nowNs - nextDueNs >= 0)
        {
            round();
            nextDueNs = nowNs + periodNs;
        }
        task.wakeAt(nextDueNs);
        return StepResult.BLOCK;
    }

    /** The kernel stops: the task ends at its next step. */
    public void stop()
    {
        stopped = true;
    }

    /** @return the policy's name. */
    public String policyName()
    {
        return selection.policy().name();
    }

    /** @return the configured policy, for tests and in-process hosts that read its state. */
    public CooperationPolicy policy()
    {
        return selection.policy();
    }

    /** @return periods in which the policy saw the usage page. */
    public long rounds()
    {
        return rounds;
    }

    /** @return periods skipped because the usage page could not be read. */
    public long skipped()
    {
        return skipped;
    }

    /** @return policy calls that threw. */
    public long failures()
    {
        return failures;
    }

    private boolean start()
    {
        started = true;
        try
        {
            selection.policy().start(ctx);
            return true;
        }
        catch (final RuntimeException ex)
        {
            failures++;
            ctx.log("policy " + policyName() + " failed to start: " + ex);
            return false;
        }
    }

    private void round()
    {
        if (!(ctx.readUsage() instanceof UsageRead.Snapshot read))
        {
            skipped++;
            return;
        }
        try
        {
            selection.policy().onUsage(read.snapshot(), ctx);
            rounds++;
        }
        catch (final RuntimeException ex)
        {
            failures++;
            ctx.log("policy " + policyName() + " failed: " + ex);
        }
    }
}
