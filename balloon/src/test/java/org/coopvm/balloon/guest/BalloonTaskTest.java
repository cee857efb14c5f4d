package org.coopvm.balloon.guest;

import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.guest.task.LocalVcpuPlatform;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.task.Vcpu;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.hypercall.Errno;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.balloon.guest.BalloonRig.kib;

class BalloonTaskTest
{
    @Test
    void onAVcpuATargetWrittenFromAnotherThreadWakesTheDriverAndItConvergesThenSleeps() throws Exception
    {
        final FakeFrameSource frames = new FakeFrameSource(8192, 8192, 0);
        final FakeReservation reservation = new FakeReservation(8192);
        final BalloonDriver driver = new BalloonDriver(BalloonConfig.DEFAULT, frames, reservation,
            SystemNanoClock.INSTANCE, 8192, new int[0]);
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (LocalVcpuPlatform platform = new LocalVcpuPlatform(1, WaitConfig.DEFAULT))
        {
            final Vcpu vcpu = new Vcpu(0, "dom1-vcpu0", SystemNanoClock.INSTANCE, platform, (h, ex) -> failures.add(ex));
            final TaskHandle task = BalloonTask.start(vcpu::submit, driver);
            vcpu.start();
            try
            {
                await().atMost(5, TimeUnit.SECONDS).until(() -> vcpu.steps() >= 1);
                final long idleSteps = vcpu.steps();
                await().during(100, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS)
                    .until(() -> vcpu.steps() == idleSteps);

                assertThat(driver.offerTarget(kib(1000))).isEqualTo(KibRejection.NONE);

                await().atMost(5, TimeUnit.SECONDS).until(() -> driver.status().converged());
                assertThat(driver.status().currentFrames()).isEqualTo(1000);
                assertThat(driver.status().outcome()).isEqualTo(BalloonOutcome.REACHED);
                final long convergedSteps = vcpu.steps();
                await().during(100, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS)
                    .until(() -> vcpu.steps() == convergedSteps);
                assertThat(task.isDone()).isFalse();
            }
            finally
            {
                vcpu.stop();
                assertThat(vcpu.join(5, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aStepYieldsWhileWorkingSleepsOnItsTimerWhileBackingOffAndBlocksWhenDone()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        final RecordingContext ctx = new RecordingContext();
        final BalloonTask task = new BalloonTask(rig.driver);

        assertThat(task.step(ctx)).as("converged at boot").isEqualTo(StepResult.BLOCK);
        assertThat(ctx.timerArmedAtNs).isEqualTo(RecordingContext.CANCELLED);

        rig.driver.offerTarget(kib(0));
        assertThat(task.step(ctx)).isEqualTo(StepResult.CONTINUE);

        rig.reservation.failWith(Errno.EPERM);
        assertThat(task.step(ctx)).isEqualTo(StepResult.BLOCK);
        assertThat(ctx.timerArmedAtNs).isEqualTo(rig.clock.nanoTime() + TimeUnit.SECONDS.toNanos(1));

        rig.reservation.failWith(0);
        rig.clock.update(ctx.timerArmedAtNs);
        IntStream.range(0, 7).forEach(i -> task.step(ctx));
        assertThat(task.step(ctx)).isEqualTo(StepResult.BLOCK);
        assertThat(ctx.timerArmedAtNs).isEqualTo(RecordingContext.CANCELLED);
        assertThat(rig.status().currentFrames()).isZero();
    }

    /** A task context that records the timer the step armed. */
    private static final class RecordingContext implements TaskContext
    {
        static final long CANCELLED = -1;
        long timerArmedAtNs = Long.MIN_VALUE;

        @Override
        public int vcpuId()
        {
            return 0;
        }

        @Override
        public long nowNs()
        {
            throw new UnsupportedOperationException("the driver keeps its own clock");
        }

        @Override
        public TaskHandle self()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void wakeAt(final long deadlineNs)
        {
            timerArmedAtNs = deadlineNs;
        }

        @Override
        public void cancelTimer()
        {
            timerArmedAtNs = CANCELLED;
        }

        @Override
        public TaskHandle spawn(final org.coopvm.guest.task.Task task)
        {
            throw new UnsupportedOperationException();
        }
    }
}
