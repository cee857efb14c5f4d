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

    @Test
    void creditNeverFallsBelowMinusCreditInit()
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
        final SchedVcpu v = new SchedVcpu(domid, 0, SchedParams.DEFAULTS.withWeight(weight));
        s.insert(v, 0);
        return v;
    }
}
