package org.coopvm.guest.testing;

import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.usage.UsageRead;
import org.coopvm.rings.usage.UsageSnapshot;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Workloads for kernel tests, registered in the test resources' {@code META-INF/services}.
 */
public final class TestWorkloads
{
    private TestWorkloads()
    {
    }

    /** {@code test-idle}: starts nothing. */
    public static final class Idle implements Workload
    {
        @Override
        public String name()
        {
            return "test-idle";
        }

        @Override
        public void start(final GuestContext ctx, final Map<String, String> args)
        {
            // nothing: the vCPUs go idle
        }
    }

    /** {@code test-hello}: logs a line naming the domain and its arguments, then powers off. */
    public static final class Hello implements Workload
    {
        @Override
        public String name()
        {
            return "test-hello";
        }

        @Override
        public void start(final GuestContext ctx, final Map<String, String> args)
        {
            ctx.console().log("hello from dom" + ctx.domid() + " greeting=" + args.get("greeting"));
            ctx.shutdown(ShutdownReason.POWEROFF);
        }
    }

    /**
     * {@code test-usage}: reads the usage page (retrying every 10 ms, at most 100 times), logs the
     * host line and one line per domain, then powers off.
     */
    public static final class UsageProbe implements Workload
    {
        @Override
        public String name()
        {
            return "test-usage";
        }

        @Override
        public void start(final GuestContext ctx, final Map<String, String> args)
        {
            final Optional<UsagePageReader> usage = ctx.usage();
            if (usage.isEmpty())
            {
                ctx.console().log("usage: none");
                ctx.shutdown(ShutdownReason.POWEROFF);
                return;
            }
            final int[] attempts = {0};
            ctx.submit(task ->
            {
                final UsageRead read = usage.get().read();
                if (read instanceof UsageRead.Snapshot(final UsageSnapshot page))
                {
                    log(ctx, page);
                }
                else if (++attempts[0] < 100)
                {
                    task.wakeAfter(TimeUnit.MILLISECONDS.toNanos(10));
                    return StepResult.BLOCK;
                }
                else
                {
                    ctx.console().log("usage: unavailable " + read);
                }
                ctx.shutdown(ShutdownReason.POWEROFF);
                return StepResult.DONE;
            });
        }

        private static void log(final GuestContext ctx, final UsageSnapshot page)
        {
            ctx.console().log("usage seq=" + page.sequence() + " period=" + page.periodMs() + " pool=" + page.host().poolTotalKib() +
                "/" + page.host().poolFreeKib() + " domains=" + page.domains().size());
            for (final DomainUsage d : page.domains())
            {
                ctx.console().log("usage dom" + d.domid() + " current=" + d.currentKib() + " target=" + d.targetKib() + " min=" +
                    d.minKib() + " max=" + d.maxKib() + " free=" + d.guestFreeKib() + " ws=" + d.guestWorkingSetKib() + " stats=" +
                    d.statsState() + " age=" + d.statsAgeMs());
            }
        }
    }
}
