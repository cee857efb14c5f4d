package org.coopvm.guest.task;

import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.rings.doorbell.WaitConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class VcpuTest
{
    private final LocalVcpuPlatform platform = new LocalVcpuPlatform(1, WaitConfig.DEFAULT);
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Vcpu vcpu = new Vcpu(0, "dom0-vcpu0", SystemNanoClock.INSTANCE, platform, (h, ex) -> failures.add(ex));

    @AfterEach
    void stop() throws InterruptedException
    {
        vcpu.stop();
        assertThat(vcpu.join(5, TimeUnit.SECONDS)).as("vCPU thread ends after stop").isTrue();
        platform.close();
    }

    @Test
    void runnableTasksTakeTurnsOneStepAtATime() throws Exception
    {
        final List<String> order = new CopyOnWriteArrayList<>();
        final TaskHandle a = vcpu.submit(countedSteps("a", 3, order));
        final TaskHandle b = vcpu.submit(countedSteps("b", 3, order));
        vcpu.start();

        assertThat(a.awaitDone(5, TimeUnit.SECONDS)).isTrue();
        assertThat(b.awaitDone(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("a1", "b1", "a2", "b2", "a3", "b3");
        assertThat(Thread.currentThread().getName()).isNotEqualTo("dom0-vcpu0");
        assertThat(vcpu.thread().getName()).isEqualTo("dom0-vcpu0");
    }

    @Test
    void aBlockedTaskRunsAgainOnlyWhenWokenFromAnotherThread() throws Exception
    {
        final AtomicInteger runs = new AtomicInteger();
        final TaskHandle task = vcpu.submit(ctx -> runs.incrementAndGet() < 3 ? StepResult.BLOCK : StepResult.DONE);
        vcpu.start();

        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 1);
        await().during(100, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(() -> runs.get() == 1);
        task.wake();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 2);
        task.wake();
        assertThat(task.awaitDone(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).hasValue(3);
    }

    @Test
    void aWakeDuringTheStepIsNotLostWhenTheStepThenBlocks() throws Exception
    {
        final AtomicInteger runs = new AtomicInteger();
        final TaskHandle task = vcpu.submit(ctx ->
        {
            if (runs.incrementAndGet() == 1)
            {
                ctx.self().wake();
                return StepResult.BLOCK;
            }
            return StepResult.DONE;
        });
        vcpu.start();

        assertThat(task.awaitDone(5, TimeUnit.SECONDS)).as("woken during its first step, it runs a second time").isTrue();
        assertThat(runs).hasValue(2);
    }

    @Test
    void noWakeIsLostAcrossManyHandoffsFromAnotherThread() throws Exception
    {
        final int handoffs = 100_000;
        final AtomicLong produced = new AtomicLong();
        final long[] consumed = {0};
        final TaskHandle consumer = vcpu.submit(ctx ->
        {
            consumed[0] = produced.get();
            return consumed[0] == handoffs ? StepResult.DONE : StepResult.BLOCK;
        });
        vcpu.start();
        for (int i = 0; i < handoffs; i++)
        {
            produced.incrementAndGet();
            consumer.wake();
        }

        assertThat(consumer.awaitDone(30, TimeUnit.SECONDS)).as("the last wake reaches the task").isTrue();
    }

    @Test
    void aTimerWakesTheTaskNoEarlierThanItsDeadline() throws Exception
    {
        final long delayNs = TimeUnit.MILLISECONDS.toNanos(50);
        final AtomicLong sleptNs = new AtomicLong();
        final long[] armedAt = {0};
        final TaskHandle task = vcpu.submit(ctx ->
        {
            if (armedAt[0] == 0)
            {
                armedAt[0] = ctx.nowNs();
                ctx.wakeAfter(delayNs);
                return StepResult.BLOCK;
            }
            sleptNs.set(ctx.nowNs() - armedAt[0]);
            return StepResult.DONE;
        });
        vcpu.start();

        assertThat(task.awaitDone(5, TimeUnit.SECONDS)).isTrue();
        assertThat(sleptNs.get()).isGreaterThanOrEqualTo(delayNs);
    }

    @Test
    void timersFireInDeadlineOrderAndACancelledTimerDoesNotFire() throws Exception
    {
        final List<String> fired = new CopyOnWriteArrayList<>();
        vcpu.submit(sleeper("late", 60, fired));
        vcpu.submit(sleeper("early", 20, fired));
        final boolean[] armed = {false};
        final TaskHandle cancelled = vcpu.submit(ctx ->
        {
            if (!armed[0])
            {
                armed[0] = true;
                ctx.wakeAfter(TimeUnit.MILLISECONDS.toNanos(40));
                ctx.cancelTimer();
                return StepResult.BLOCK;
            }
            fired.add("cancelled-ran");
            return StepResult.DONE;
        });
        vcpu.start();

        await().atMost(5, TimeUnit.SECONDS).until(() -> fired.size() == 2);
        await().during(100, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(() -> fired.size() == 2);
        assertThat(fired).containsExactly("early", "late");
        assertThat(cancelled.isDone()).isFalse();
    }

    @Test
    void aThrowingStepEndsOnlyThatTaskAndIsReported() throws Exception
    {
        final TaskHandle bad = vcpu.submit(ctx ->
        {
            throw new IllegalStateException("boom");
        });
        final TaskHandle good = vcpu.submit(ctx -> StepResult.DONE);
        vcpu.start();

        assertThat(good.awaitDone(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.awaitDone(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.failure()).hasMessage("boom");
        assertThat(failures).hasSize(1);
    }

    @Test
    void aCancelledBlockedTaskFinishesWithoutAnotherStep() throws Exception
    {
        final AtomicInteger runs = new AtomicInteger();
        final TaskHandle task = vcpu.submit(ctx ->
        {
            runs.incrementAndGet();
            return StepResult.BLOCK;
        });
        vcpu.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 1);

        task.cancel();

        assertThat(task.awaitDone(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void anIdleVcpuBurnsAlmostNoCpu() throws Exception
    {
        final AtomicReference<Long> threadId = new AtomicReference<>();
        vcpu.submit(ctx ->
        {
            threadId.set(Thread.currentThread().threadId());
            return StepResult.BLOCK;
        });
        vcpu.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> threadId.get() != null && vcpu.idleSleeps() > 0);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long cpuStartNs = threads.getThreadCpuTime(threadId.get());
        final long wallStartNs = System.nanoTime();

        await().pollDelay(500, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> true);

        final long cpuNs = threads.getThreadCpuTime(threadId.get()) - cpuStartNs;
        final long wallNs = System.nanoTime() - wallStartNs;
        assertThat(cpuNs).as("vCPU thread CPU time (ns) over %d ns idle", wallNs).isLessThan(wallNs / 20);
    }

    private static Task countedSteps(final String name, final int steps, final List<String> order)
    {
        final int[] done = {0};
        return ctx ->
        {
            order.add(name + ++done[0]);
            return done[0] == steps ? StepResult.DONE : StepResult.CONTINUE;
        };
    }

    private static Task sleeper(final String name, final long delayMs, final List<String> fired)
    {
        final boolean[] armed = {false};
        return ctx ->
        {
            if (!armed[0])
            {
                armed[0] = true;
                ctx.wakeAfter(TimeUnit.MILLISECONDS.toNanos(delayMs));
                return StepResult.BLOCK;
            }
            fired.add(name);
            return StepResult.DONE;
        };
    }
}
