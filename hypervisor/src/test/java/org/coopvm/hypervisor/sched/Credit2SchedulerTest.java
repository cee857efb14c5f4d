package org.coopvm.hypervisor.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.hypervisor.sched.Credit2Scheduler.CARRYOVER_MAX_NS;
import static org.coopvm.hypervisor.sched.Credit2Scheduler.CREDIT_INIT_NS;
import static org.coopvm.hypervisor.sched.SchedSimulator.MS;

import org.junit.jupiter.api.Test;

/** Credit2's rules: weighted burn, reset, yield regardless of credit, directed yield, what tools see. */
class Credit2SchedulerTest
{
    private final Scheduler s = new Credit2Scheduler();

    Credit2SchedulerTest()
    {
        s.init(SchedulerSettings.defaults(1));
    }

    @Test
    void burnIsScaledByMaxWeightOverWeight()
    {
        final SchedVcpu light = vcpu(1, 256);
        final SchedVcpu heavy = vcpu(2, 1024);

        s.charge(light, MS, 0);
        s.charge(heavy, MS, 0);

        assertThat(s.state(light).credit()).isEqualTo(CREDIT_INIT_NS - 4 * MS);
        assertThat(s.state(heavy).credit()).isEqualTo(CREDIT_INIT_NS - MS);
    }

    @Test
    void pickWithNoCreditResetsEveryoneClippedToInitPlusCarryover()
    {
        final SchedVcpu runner = vcpu(1, 256);
        final SchedVcpu sleeper = vcpu(2, 256);
        s.wake(runner, 0);
        assertThat(s.schedule(0, null, 0).next()).isSameAs(runner);
        s.charge(runner, 12 * MS, 12 * MS);
        assertThat(s.state(runner).credit()).isEqualTo(-2 * MS);
        assertThat(s.state(runner).priority()).isEqualTo(Priority.OVER);

        assertThat(s.schedule(0, runner, 12 * MS).next()).isSameAs(runner);

        assertThat(s.state(runner).credit()).isEqualTo(8 * MS);
        assertThat(s.state(sleeper).credit()).isEqualTo(CREDIT_INIT_NS + CARRYOVER_MAX_NS);
        assertThat(s.state(sleeper).priority()).isEqualTo(Priority.IDLE);
    }

    /**
     * A reset while a vCPU runs on another slot with credit left does not clip it to CREDIT_INIT +
     * carryover (Xen does): it keeps what it had, plus CREDIT_INIT. Clipping took from a heavy vCPU
     * on one slot the credit the lighter ones on the other slot did not leave it time to spend.
     */
    @Test
    void resetLetsARunnableVcpuKeepItsCredit()
    {
        final Scheduler two = new Credit2Scheduler();
        two.init(SchedulerSettings.defaults(2));
        final SchedVcpu runner = vcpu(two, 1, 256);
        final SchedVcpu spender = vcpu(two, 2, 256);
        final SchedVcpu sleeper = vcpu(two, 3, 256);
        two.wake(runner, 0);
        two.wake(spender, 0);
        assertThat(two.schedule(0, null, 0).next()).isSameAs(runner);
        assertThat(two.schedule(1, null, 0).next()).isSameAs(spender);
        two.charge(runner, 4 * MS, 12 * MS);
        two.charge(spender, 12 * MS, 12 * MS);

        assertThat(two.schedule(1, spender, 12 * MS).next()).as("alone in the queue, no credit: reset").isSameAs(spender);

        assertThat(two.state(runner).credit()).isEqualTo(6 * MS + CREDIT_INIT_NS);
        assertThat(two.state(spender).credit()).isEqualTo(8 * MS);
        assertThat(two.state(sleeper).credit()).isEqualTo(CREDIT_INIT_NS + CARRYOVER_MAX_NS);
    }

    /**
     * Equal busy vCPUs take turns of 10 ms (CSCHED2_MAX_TIMER), not of the 1 ms rate limit that running
     * only down to the next one's credit gives (as in Xen): every switch costs the runtime a duty cycle
     * or two. And the first decision of a run covers the rate limit: no decision at 500 us only to keep
     * the vCPU until 1 ms.
     */
    @Test
    void equalBusyVcpusTakeTurnsOfTheMaxTimer()
    {
        final SchedSimulator sim = SchedulerSharesTest.simulator(Credit2Scheduler.NAME, 2);
        final SchedSimulator.SimVcpu[] vcpus = new SchedSimulator.SimVcpu[16];
        for (int i = 0; i < vcpus.length; i++)
        {
            vcpus[i] = sim.addBusy(i + 1, SchedParams.DEFAULTS);
        }
        sim.runFor(1000 * MS);
        long runsBefore = 0;
        for (final SchedSimulator.SimVcpu v : vcpus)
        {
            runsBefore += v.runs;
        }
        final long decisionsBefore = sim.decisions();
        sim.runFor(10_000 * MS);
        long runs = -runsBefore;
        for (final SchedSimulator.SimVcpu v : vcpus)
        {
            runs += v.runs;
        }

        assertThat(runs).as("runs in 10 s on 2 slots").isBetween(1900L, 2100L);
        assertThat(sim.decisions() - decisionsBefore).as("decisions (and ticks)").isLessThan(2 * runs + 1000);
    }

    @Test
    void needsTheTickOnlyWhileADomainIsCapped()
    {
        vcpu(1, 256);
        assertThat(s.needsTick()).isFalse();
        s.adjust(1, SchedParams.DEFAULTS.withCapPercent(25), 0);
        assertThat(s.needsTick()).isTrue();
        s.adjust(1, SchedParams.DEFAULTS, 0);
        assertThat(s.needsTick()).isFalse();
    }

    @Test
    void creditNeverFallsBelowCreditMin()
    {
        final SchedVcpu v = vcpu(1, 1);
        vcpu(2, 256);
        s.charge(v, MS, 0);
        assertThat(s.state(v).credit()).isEqualTo(Credit2Scheduler.CREDIT_MIN_NS);
    }

    @Test
    void yieldGivesTheSlotToTheNextEvenWithLessCredit()
    {
        final SchedVcpu rich = vcpu(1, 256);
        final SchedVcpu poor = vcpu(2, 256);
        s.charge(poor, 5 * MS, 0);
        s.wake(rich, 0);
        s.wake(poor, 0);
        assertThat(s.schedule(0, null, 0).next()).isSameAs(rich);
        s.charge(rich, 2 * MS, 2 * MS);
        assertThat(s.schedule(0, rich, 2 * MS).next()).as("more credit, keeps its slot").isSameAs(rich);

        s.yield(rich, 2 * MS);

        assertThat(s.state(rich).credit()).isGreaterThan(s.state(poor).credit());
        assertThat(s.schedule(0, null, 2 * MS).next()).isSameAs(poor);
    }

    @Test
    void directedYieldPutsItsTargetAtTheHead()
    {
        final SchedVcpu from = vcpu(1, 256);
        final SchedVcpu rich = vcpu(2, 256);
        final SchedVcpu target = vcpu(3, 256);
        s.charge(target, 5 * MS, 0);
        s.wake(from, 0);
        s.wake(rich, 0);
        s.wake(target, 0);
        assertThat(s.schedule(0, null, 0).next()).isSameAs(from);

        s.yieldTo(from, target, 2 * MS);

        assertThat(s.schedule(0, null, 2 * MS).next()).isSameAs(target);
    }

    private SchedVcpu vcpu(final int domid, final int weight)
    {
        return vcpu(s, domid, weight);
    }

    private static SchedVcpu vcpu(final Scheduler scheduler, final int domid, final int weight)
    {
        final SchedVcpu v = new SchedVcpu(domid, 0, SchedParams.DEFAULTS.withWeight(weight));
        scheduler.insert(v, 0);
        return v;
    }
}
