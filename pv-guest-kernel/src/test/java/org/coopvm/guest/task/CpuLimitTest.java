package org.coopvm.guest.task;

import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.rings.doorbell.WaitConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A vCPU under the guest's own {@link CpuLimit} runs task steps for at most its share of each
 * period and rests the rest (a bound that load on the machine can only make smaller: a step's wall
 * time counts against the quota), and runs freely once the limit is lifted.
 */
class CpuLimitTest
{
    private static final long MS = 1_000_000L;

    private final LocalVcpuPlatform platform = new LocalVcpuPlatform(1, WaitConfig.DEFAULT);
    private final CpuLimit limit = new CpuLimit();
    private final Vcpu vcpu = new Vcpu(0, "dom0-vcpu0", SystemNanoClock.INSTANCE, platform, (h, ex) -> { }, limit);

    @AfterEach
    void stop() throws InterruptedException
    {
        vcpu.stop();
        assertThat(vcpu.join(5, TimeUnit.SECONDS)).isTrue();
        platform.close();
    }

    @Test
    void aLimitedVcpuRunsItsShareOfEachPeriodThenRestsAndRunsFreelyOnceLifted()
    {
        limit.set(0.25, 40);
        final Busy busy = new Busy();
        vcpu.submit(busy);
        vcpu.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> busy.stepNs.get() >= 100 * MS);

        final double busyFraction = busy.stepNs.get() / (double)(System.nanoTime() - busy.firstNs.get());
        assertThat(busyFraction).as("a quarter of each 40 ms; a step the host descheduled can overshoot a period, so judge " +
            "against what no limit gives (about 1)").isLessThanOrEqualTo(0.5);
        assertThat(vcpu.rests()).isPositive();
        assertThat(limit.share()).isEqualTo(0.25);

        limit.lift();
        final long restsWhenLifted = vcpu.rests() + 1; // a rest under way when lifted may still end
        final long steps = busy.steps.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> busy.steps.get() > steps + 200);
        assertThat(vcpu.rests()).as("no rest without a limit").isLessThanOrEqualTo(restsWhenLifted);
        assertThat(limit.share()).isEqualTo(1.0);
    }

    @Test
    void aShareNotAboveZeroOrAPeriodOutOfRangeIsRefusedAndAWholeShareIsNoLimit()
    {
        assertThatThrownBy(() -> limit.set(0, 100)).hasMessageContaining("cpu share 0.0 must be above 0");
        assertThatThrownBy(() -> limit.set(Double.NaN, 100)).hasMessageContaining("cpu share NaN");
        assertThatThrownBy(() -> limit.set(0.5, 0)).hasMessageContaining("period 0 ms outside 1..10000");
        limit.set(1.0, 100);
        assertThat(limit.setting()).isNull();
        limit.set(0.5, 100);
        assertThat(limit.setting().quotaNs()).isEqualTo(50 * MS);
    }

    /** Steps of 1 ms of spinning, their wall time summed. */
    private static final class Busy implements Task
    {
        private final AtomicLong steps = new AtomicLong();
        private final AtomicLong stepNs = new AtomicLong();
        private final AtomicLong firstNs = new AtomicLong();

        @Override
        public StepResult step(final TaskContext ctx)
        {
            final long startNs = System.nanoTime();
            firstNs.compareAndSet(0, startNs);
            while (System.nanoTime() - startNs < MS)
            {
                Thread.onSpinWait();
            }
            stepNs.addAndGet(System.nanoTime() - startNs);
            steps.incrementAndGet();
            return StepResult.CONTINUE;
        }
    }
}
