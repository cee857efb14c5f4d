package org.coopvm.perf.hypercall;

import org.HdrHistogram.Histogram;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@value #NAME}: times {@code warmup + measured} null hypercalls ({@code xen_version},
 * XENVER_version) through the kernel's own hypercall stubs on vCPU 0, one at a time, a bounded
 * batch per task step; records the measured ones in an HdrHistogram, writes the percentiles to
 * the benchmark's control file and powers off. Any failure marks the control file failed and
 * crashes the domain.
 */
public final class NullHypercallWorkload implements Workload
{
    /** The workload name in the start info. */
    public static final String NAME = "bench-null-hypercall";
    private static final int CALLS_PER_STEP = 1000;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final BenchControl control = BenchControl.attach(ctx.runDir().orElseThrow(
            () -> new IllegalStateException(NAME + " needs the run directory")));
        ctx.submit(new Caller(ctx, control, BenchWorkloadArgs.positiveInt(args, BenchWorkloadArgs.WARMUP),
            BenchWorkloadArgs.positiveInt(args, BenchWorkloadArgs.MEASURED)));
    }

    private static final class Caller implements Task
    {
        private final GuestContext ctx;
        private final Hypercalls hypercalls;
        private final BenchControl control;
        private final int warmup;
        private final int total;
        private final Histogram histogram = BenchControl.newHistogram();
        private int done;

        Caller(final GuestContext ctx, final BenchControl control, final int warmup, final int measured)
        {
            this.ctx = ctx;
            this.hypercalls = ctx.hypercalls();
            this.control = control;
            this.warmup = warmup;
            this.total = warmup + measured;
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            final int end = Math.min(total, done + CALLS_PER_STEP);
            while (done < end)
            {
                final long startNs = System.nanoTime();
                final long version = hypercalls.xenVersion();
                final long elapsedNs = System.nanoTime() - startNs;
                if (version < 0)
                {
                    return fail("xen_version returned " + version);
                }
                if (++done > warmup)
                {
                    BenchControl.record(histogram, elapsedNs);
                }
            }
            if (done < total)
            {
                return StepResult.CONTINUE;
            }
            control.publishResults(histogram, BenchControl.newHistogram());
            control.close();
            ctx.shutdown(ShutdownReason.POWEROFF);
            return StepResult.DONE;
        }

        private StepResult fail(final String why)
        {
            ctx.console().log(NAME + ": " + why);
            control.fail();
            control.close();
            ctx.shutdown(ShutdownReason.CRASH);
            return StepResult.DONE;
        }
    }
}
