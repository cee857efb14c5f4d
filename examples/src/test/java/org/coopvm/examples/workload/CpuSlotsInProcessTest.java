package org.coopvm.examples.workload;

import org.coopvm.balloon.guest.BalloonGuestDriver;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.VcpuRunstate;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.sched.CreditScheduler;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.CpuSchedulerConfig;
import org.coopvm.hypervisor.sched.runtime.SchedCounter;
import org.coopvm.hypervisor.sched.runtime.VcpuSchedInfo;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.HostDoorbellDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.RUNSTATE_BLOCKED;

/**
 * In-process guests on a host with one physical CPU slot and the credit scheduler (10 ms slice and
 * tick, 10 ms grace, 3 overruns in a second suspend for 300 ms): guests share the slot
 * cooperatively, an idle host does not tick, and a guest that never yields cannot starve another.
 */
class CpuSlotsInProcessTest
{
    private static final CpuSchedulerConfig ONE_SLOT = CpuSchedulerConfig.of(CreditScheduler.NAME, new SchedulerSettings(1, 10, 10, 1000))
        .withEnforcement(10, 3, 1000, 300);
    private static final KernelConfig QUIET = KernelConfig.DEFAULT.withStatsPeriodMs(60_000)
        .withDisabledDrivers(Set.of(BalloonGuestDriver.NAME));

    private final List<GuestKernel> kernels = new ArrayList<>();
    private Hypervisor hypervisor;
    private CpuScheduler cpu;

    @BeforeEach
    void startHost()
    {
        hypervisor = new Hypervisor(HypervisorConfig.defaults(null).withCpu(ONE_SLOT));
        hypervisor.start();
        cpu = hypervisor.cpuScheduler();
    }

    @AfterEach
    void stopHost()
    {
        kernels.forEach(GuestKernel::close);
        hypervisor.close();
    }

    @Test
    void twoBusyGuestsShareOneSlotBothProgressAndSeeTheirStealTime()
    {
        final GuestKernel a = boot("busy-a");
        final GuestKernel b = boot("busy-b");
        final Busy busyA = new Busy();
        final Busy busyB = new Busy();
        a.context().submit(0, busyA);
        b.context().submit(0, busyB);
        final VcpuRunstate before = a.context().runstate(0).orElseThrow();

        await().atMost(Duration.ofSeconds(20)).until(() -> busyA.steps.get() > 300 && busyB.steps.get() > 300 &&
            a.preemptRequests() > 2 && b.preemptRequests() > 2);

        final VcpuRunstate after = a.context().runstate(0).orElseThrow();
        assertThat(after.totalNs() - before.totalNs()).as("the four runstate times add up to the time between the reads")
            .isEqualTo(after.atNs() - before.atNs());
        assertThat(after.stealNs()).as("a waited for the slot while b held it").isPositive();
        assertThat(after.runningNs()).isPositive();
        assertThat(cpu.holders()).isLessThanOrEqualTo(1);
        for (final VcpuSchedInfo vcpu : cpu.vcpus(-1))
        {
            assertThat(vcpu.cpuNs()).as("%s charged from its thread's schedstat", vcpu).isPositive();
            assertThat(vcpu.wallCharges()).as("%s never fell back to wall time", vcpu).isZero();
        }
    }

    @Test
    void anIdleGuestLeavesTheSchedulerAsleep() throws Exception
    {
        final GuestKernel idle = boot("idle");
        final Doorbell schedulerDoorbell = new Doorbell().wrap(hypervisor.hostDoorbellRegion().payloadBuffer(),
            HostDoorbellDescriptor.SCHEDULER_DOORBELL_OFFSET);
        await().atMost(Duration.ofSeconds(10)).until(() -> idle.context().runstate(0).orElseThrow().state() == RUNSTATE_BLOCKED &&
            cpu.holders() == 0 && cpu.sleepNs() == -1 && schedulerDoorbell.sleepers() == 1);

        final long cycles = cpu.counter(SchedCounter.DUTY_CYCLES);
        final long ticks = cpu.counter(SchedCounter.TICKS);
        Thread.sleep(300);
        assertThat(cpu.counter(SchedCounter.DUTY_CYCLES)).as("asleep without a timeout: no duty cycle").isEqualTo(cycles);
        assertThat(cpu.counter(SchedCounter.TICKS)).isEqualTo(ticks);
    }

    @Test
    void aGuestThatNeverYieldsIsSuspendedAndTheOtherKeepsProgressing()
    {
        final GuestKernel hogging = boot("never-yields");
        final GuestKernel polite = boot("polite");
        final Busy busy = new Busy();
        polite.context().submit(0, busy);
        await().atMost(Duration.ofSeconds(10)).until(() -> busy.steps.get() > 10);

        final Hog hog = new Hog();
        hogging.context().submit(0, hog);
        await().atMost(Duration.ofSeconds(10)).until(hog.running::get);
        final long stepsWhenTheHogStarted = busy.steps.get();

        await().atMost(Duration.ofSeconds(10)).until(() -> cpu.counter(SchedCounter.SUSPENSIONS) > 0 &&
            busy.steps.get() > stepsWhenTheHogStarted + 100);
        assertThat(hog.running.get()).as("all of that while the hog's step still runs").isTrue();
        assertThat(cpu.vcpus(hogging.domid()).get(0).overruns()).isGreaterThanOrEqualTo(3);

        hog.stop.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> !hog.running.get());
    }

    private GuestKernel boot(final String name)
    {
        final GuestKernel kernel = InProcessGuests.boot(hypervisor, hypervisor.createDomain(DomainSpec.of(name, 1, 1024, true, "idle")),
            QUIET);
        kernels.add(kernel);
        return kernel;
    }

    /** Steps of about 200 us of arithmetic, counted. */
    private static final class Busy implements Task
    {
        private final AtomicLong steps = new AtomicLong();
        private long state = 0x9E37_79B9_7F4A_7C15L;

        @Override
        public StepResult step(final TaskContext ctx)
        {
            final long endNs = System.nanoTime() + 200_000;
            long x = state;
            while (System.nanoTime() - endNs < 0)
            {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            state = x;
            steps.incrementAndGet();
            return StepResult.CONTINUE;
        }
    }

    /** One step that never reaches a safe point: spins until told to stop (or 5 s pass). */
    private static final class Hog implements Task
    {
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicBoolean stop = new AtomicBoolean();

        @Override
        public StepResult step(final TaskContext ctx)
        {
            running.set(true);
            final long endNs = System.nanoTime() + 5_000_000_000L;
            while (!stop.get() && System.nanoTime() - endNs < 0)
            {
                Thread.onSpinWait();
            }
            running.set(false);
            return StepResult.DONE;
        }
    }
}
