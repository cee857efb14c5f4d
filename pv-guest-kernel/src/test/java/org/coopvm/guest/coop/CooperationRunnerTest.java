package org.coopvm.guest.coop;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.rings.usage.HostUsage;
import org.coopvm.rings.usage.UsageSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The task that runs a policy: once per period on the usage page and asleep in between, skipping
 * periods the page cannot be read, surviving a policy that throws, and ending at stop.
 */
class CooperationRunnerTest
{
    private static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Counting policy = new Counting();
    private final RecordingContext ctx = new RecordingContext(1, 1024)
        .usage(new UsageSnapshot(2, 0, 1000, 0, HostUsage.memory(4096, 1024), List.of()));
    private final CooperationRunner runner = new CooperationRunner(new CooperationPolicies.Selection(policy, 100, List.of(),
        java.util.Map.of()), ctx);
    private final Clock task = new Clock();

    @Test
    void thePolicyRunsOncePerPeriodAndTheTaskSleepsOnItsTimerBetween()
    {
        assertThat(runner.step(task)).isEqualTo(StepResult.BLOCK);
        assertThat(task.deadlineNs).isEqualTo(PERIOD_NS);
        assertThat(policy.started).isEqualTo(1);

        task.nowNs = PERIOD_NS / 2;
        runner.step(task);
        task.nowNs = PERIOD_NS;
        runner.step(task);

        assertThat(policy.seen).hasSize(2);
        assertThat(runner.rounds()).isEqualTo(2);
        assertThat(task.deadlineNs).isEqualTo(2 * PERIOD_NS);
    }

    @Test
    void anUnreadablePageSkipsThePeriodAndAThrowingPolicyIsReportedAndRunsAgain()
    {
        ctx.unreadable();
        runner.step(task);
        assertThat(runner.skipped()).isEqualTo(1);
        assertThat(policy.seen).isEmpty();

        ctx.usage(new UsageSnapshot(4, 0, 1000, 0, HostUsage.memory(4096, 1024), List.of()));
        policy.failNext = true;
        task.nowNs = PERIOD_NS;
        runner.step(task);
        task.nowNs = 2 * PERIOD_NS;
        runner.step(task);

        assertThat(runner.failures()).isEqualTo(1);
        assertThat(ctx.lines).anySatisfy(line -> assertThat(line).contains("policy counting failed: java.lang.IllegalStateException"));
        assertThat(runner.rounds()).isEqualTo(1);
    }

    @Test
    void aStoppedRunnerEnds()
    {
        runner.step(task);
        runner.stop();

        assertThat(runner.step(task)).isEqualTo(StepResult.DONE);
    }

    /** Counts its calls; fails once when told. */
    private static final class Counting implements CooperationPolicy
    {
        final List<UsageSnapshot> seen = new ArrayList<>();
        int started;
        boolean failNext;

        @Override
        public String name()
        {
            return "counting";
        }

        @Override
        public String description()
        {
            return "counts";
        }

        @Override
        public void configure(final CooperationArgs args)
        {
        }

        @Override
        public void start(final CooperationContext ctx)
        {
            started++;
        }

        @Override
        public void onUsage(final UsageSnapshot usage, final CooperationContext ctx)
        {
            if (failNext)
            {
                failNext = false;
                throw new IllegalStateException("boom");
            }
            seen.add(usage);
        }
    }

    /** A task context with a clock the test moves. */
    private static final class Clock implements TaskContext
    {
        long nowNs;
        long deadlineNs = -1;

        @Override
        public int vcpuId()
        {
            return 0;
        }

        @Override
        public long nowNs()
        {
            return nowNs;
        }

        @Override
        public TaskHandle self()
        {
            return null;
        }

        @Override
        public void wakeAt(final long deadline)
        {
            deadlineNs = deadline;
        }

        @Override
        public void cancelTimer()
        {
            deadlineNs = -1;
        }

        @Override
        public TaskHandle spawn(final Task task)
        {
            throw new UnsupportedOperationException();
        }
    }
}
