package org.coopvm.hypervisor.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.hypervisor.sched.SchedSimulator.MS;
import static org.coopvm.hypervisor.sched.SchedSimulator.US;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.coopvm.hypervisor.sched.SchedSimulator.SimVcpu;

/**
 * Any mix of wakes, blocks, yields, directed yields and live changes of weight, cap and slice keeps
 * both schedulers sound: the simulator checks every decision (no blocked vCPU run, none on two slots,
 * no decision in the past, no free slot while an unparked vCPU waits), and afterwards nobody starves.
 */
class SchedulerInvariantsPropertyTest
{
    private static final int VCPUS = 6;
    private static final int DOMAINS = 3;

    enum Kind
    {
        WAKE, WAKE_BURST, BLOCK, YIELD, YIELD_TO, WEIGHT, CAP, SLICE
    }

    record Op(Kind kind, int vcpu, long atUs, int value)
    {
    }

    @Property(tries = 100)
    void randomScriptsKeepTheInvariantsAndNobodyStarves(
        @ForAll("names") final String name,
        @ForAll @IntRange(min = 1, max = 3) final int slots,
        @ForAll("scripts") final List<Op> script)
    {
        final SchedSimulator sim = SchedulerSharesTest.simulator(name, slots);
        final List<SimVcpu> vcpus = new ArrayList<>();
        for (int i = 0; i < VCPUS; i++)
        {
            vcpus.add(sim.add(i % DOMAINS + 1, i / DOMAINS, SchedParams.DEFAULTS));
        }
        for (final Op op : script)
        {
            sim.at(op.atUs() * US, s -> apply(s, vcpus, op));
        }
        sim.runFor(2000 * MS);

        for (int d = 1; d <= DOMAINS; d++)
        {
            sim.adjust(d, SchedParams.DEFAULTS.withWeight(64 * d));
        }
        vcpus.forEach(sim::wake);
        final SchedulerSharesTest.Window window = new SchedulerSharesTest.Window(sim, vcpus.toArray(SimVcpu[]::new));
        sim.runFor(2000 * MS);
        for (int i = 0; i < VCPUS; i++)
        {
            assertThat(window.share(i)).as("share of vCPU %d", i).isGreaterThan(0.01);
        }
    }

    private static void apply(final SchedSimulator sim, final List<SimVcpu> vcpus, final Op op)
    {
        final SimVcpu v = vcpus.get(op.vcpu());
        final int domid = op.vcpu() % DOMAINS + 1;
        final SchedParams params = v.sched.params();
        switch (op.kind())
        {
            case WAKE -> sim.wake(v);
            case WAKE_BURST -> sim.wake(v, (op.value() + 1) * 100 * US);
            case BLOCK -> sim.block(v);
            case YIELD -> sim.yield(v);
            case YIELD_TO -> sim.yieldTo(v, vcpus.get(op.value() % VCPUS));
            case WEIGHT -> sim.adjust(domid, params.withWeight(1 + op.value() * 655));
            case CAP -> sim.adjust(domid, params.withCapPercent(op.value() % 5 * 25));
            case SLICE -> sim.adjust(domid, params.withSliceMs(op.value() % 11));
        }
    }

    @Provide
    Arbitrary<String> names()
    {
        return Arbitraries.of(CreditScheduler.NAME, Credit2Scheduler.NAME);
    }

    @Provide
    Arbitrary<List<Op>> scripts()
    {
        final Arbitrary<Op> op = Combinators.combine(
            Arbitraries.of(Kind.values()),
            Arbitraries.integers().between(0, VCPUS - 1),
            Arbitraries.longs().between(0, 2_000_000),
            Arbitraries.integers().between(0, 100)).as(Op::new);
        return op.list().ofMaxSize(80);
    }
}
