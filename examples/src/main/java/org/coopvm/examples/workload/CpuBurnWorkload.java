package org.coopvm.examples.workload;

import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code cpu-burn}: one task per vCPU doing bounded steps of integer arithmetic (a xorshift mix,
 * {@value #ITERATIONS_PER_STEP} rounds per step) forever, or for {@code seconds=S} and then a
 * poweroff with the step count on the console. Arguments: {@code seconds} (optional).
 */
public final class CpuBurnWorkload implements Workload
{
    /** Rounds of arithmetic per step: a few tens of microseconds. */
    static final int ITERATIONS_PER_STEP = 20_000;

    @Override
    public String name()
    {
        return "cpu-burn";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final long seconds = WorkloadArgs.longArg(args, "seconds", 0);
        final long deadlineNs = seconds > 0 ? ctx.clock().nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
        final AtomicInteger running = new AtomicInteger(ctx.vcpuCount());
        final AtomicLong steps = new AtomicLong();
        ctx.console().log("cpu-burn: " + ctx.vcpuCount() + " vCPUs" + (seconds > 0 ? " for " + seconds + " s" : " until shut down"));
        for (int vcpu = 0; vcpu < ctx.vcpuCount(); vcpu++)
        {
            ctx.submit(vcpu, new Burner(ctx, deadlineNs, running, steps));
        }
    }

    private static final class Burner implements Task
    {
        private final GuestContext ctx;
        private final long deadlineNs;
        private final AtomicInteger running;
        private final AtomicLong steps;
        private long state = 0x9E37_79B9_7F4A_7C15L;
        private long localSteps;

        Burner(final GuestContext ctx, final long deadlineNs, final AtomicInteger running, final AtomicLong steps)
        {
            this.ctx = ctx;
            this.deadlineNs = deadlineNs;
            this.running = running;
            this.steps = steps;
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            if (task.nowNs() - deadlineNs >= 0)
            {
                finish();
                return StepResult.DONE;
            }
            long x = state;
            for (int i = 0; i < ITERATIONS_PER_STEP; i++)
            {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            state = x;
            localSteps++;
            return StepResult.CONTINUE;
        }

        private void finish()
        {
            final long total = steps.addAndGet(localSteps);
            if (running.decrementAndGet() == 0)
            {
                ctx.console().log("cpu-burn: done, " + total + " steps of " + ITERATIONS_PER_STEP + " rounds (mix " +
                    Long.toHexString(state) + ")");
                ctx.shutdown(ShutdownReason.POWEROFF);
            }
        }
    }
}
