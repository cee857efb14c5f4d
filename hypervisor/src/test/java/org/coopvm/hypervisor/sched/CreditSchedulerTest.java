package org.coopvm.hypervisor.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.hypervisor.sched.SchedSimulator.MS;
import static org.coopvm.hypervisor.sched.SchedSimulator.US;

import org.coopvm.hypervisor.sched.SchedSimulator.SimVcpu;
import org.junit.jupiter.api.Test;

/** The credit scheduler's Xen rules: BOOST and its demotion, yield, directed yield, the clamp, parking. */
class CreditSchedulerTest
{
    private final Scheduler s = new CreditScheduler();

    CreditSchedulerTest()
    {
        s.init(SchedulerSettings.defaults(2));
    }
    private static final long SECOND = 1000 * MS;

    @Test
    void vcpuWakingWithCreditIsBoostedAndRunsBeforeTheBurners()
    {
        final SchedSimulator sim = SchedulerSharesTest.simulator(CreditScheduler.NAME, 1);
        for (int d = 1; d <= 3; d++)
        {
            sim.addBusy(d, SchedParams.DEFAULTS);
        }
        final SimVcpu probe = sim.add(4, 0, SchedParams.DEFAULTS);
        for (int i = 0; i < 100; i++)
        {
            sim.at(SECOND + i * 50 * MS + 3 * MS, s ->
            {
                s.wake(probe, 500 * US);
                assertThat(s.scheduler().state(probe.sched).priority()).isEqualTo(Priority.BOOST);
            });
        }
        sim.runFor(7 * SECOND);

        assertThat(probe.runs).isEqualTo(100);
        assertThat(probe.maxWakeToRunNs).isBetween(0L, SchedulerSettings.DEFAULT_RATE_LIMIT_US * US);
    }

    @Test
    void boostIsDemotedAtTheNextTickThatSeesItRunning()
    {
        final SchedSimulator sim = SchedulerSharesTest.simulator(CreditScheduler.NAME, 1);
        sim.addBusy(1, SchedParams.DEFAULTS);
        sim.addBusy(2, SchedParams.DEFAULTS);
        final SimVcpu probe = sim.add(3, 0, SchedParams.DEFAULTS);
        sim.at(SECOND + 3 * MS, s -> s.wake(probe, 25 * MS));
        sim.at(SECOND + 9 * MS, s ->
        {
            assertThat(probe.running()).isTrue();
            assertThat(s.scheduler().state(probe.sched).priority()).isEqualTo(Priority.BOOST);
        });
        sim.at(SECOND + 10 * MS + 1, s ->
        {
            assertThat(probe.running()).isTrue();
            assertThat(s.scheduler().state(probe.sched).priority()).isIn(Priority.UNDER, Priority.OVER);
        });
        sim.runFor(SECOND + 20 * MS);
    }

    @Test
    void yieldGoesBehindOneVcpuOfLowerPriority()
    {
        final SchedVcpu b = vcpu(2);
        final SchedVcpu c = vcpu(3);
        final SchedVcpu d = vcpu(4);
        twoRunningUnderOthersQueuedOver(vcpu(1), b, c, d);

        s.yield(b, 41 * MS);

        assertThat(s.schedule(1, null, 41 * MS).next()).as("the first OVER vCPU").isSameAs(c);
        s.sleep(c, 42 * MS);
        assertThat(s.schedule(1, null, 42 * MS).next()).as("the yielder, before the second OVER vCPU").isSameAs(b);
    }

    @Test
    void withoutYieldAPreemptedVcpuStaysAheadOfLowerPriority()
    {
        final SchedVcpu b = vcpu(2);
        twoRunningUnderOthersQueuedOver(vcpu(1), b, vcpu(3));

        assertThat(s.schedule(1, b, 61 * MS).next()).as("slice over, nothing better queued").isSameAs(b);
    }

    @Test
    void directedYieldPutsItsTargetFirstAmongItsPriority()
    {
        final SchedVcpu a = vcpu(1);
        final SchedVcpu b = vcpu(2);
        final SchedVcpu c = vcpu(3);
        s.wake(a, 0);
        s.wake(b, 0);
        s.wake(c, 0);
        assertThat(s.schedule(0, null, 0).next()).isSameAs(a);

        s.yieldTo(a, c, 2 * MS);

        assertThat(s.schedule(0, null, 2 * MS).next()).isSameAs(c);
    }

    /**
     * Within a priority the vCPU with more credit goes first (Xen: round robin): an UNDER vCPU with
     * little credit left would run a full slice while one with much waits, on several slots long
     * enough for the waiting one's credit to pass +300 and be halved.
     */
    @Test
    void withinAPriorityMoreCreditRunsFirst()
    {
        final SchedVcpu a = vcpu(1);
        final SchedVcpu b = vcpu(2);
        final SchedVcpu poor = vcpu(3);
        final SchedVcpu rich = vcpu(4);
        for (final SchedVcpu v : new SchedVcpu[] {a, b, poor, rich})
        {
            s.wake(v, 0);
        }
        assertThat(s.schedule(0, null, 0).next()).isSameAs(a);
        assertThat(s.schedule(1, null, 0).next()).isSameAs(b);
        s.charge(poor, 10 * MS, 5 * MS);
        s.charge(rich, MS, 5 * MS);
        s.tick(10 * MS);
        s.tick(20 * MS);
        s.charge(a, 30 * MS, 30 * MS);
        s.charge(b, 30 * MS, 30 * MS);
        s.tick(30 * MS);
        assertThat(s.state(a).priority()).isEqualTo(Priority.OVER);
        assertThat(s.state(poor).priority()).isEqualTo(Priority.UNDER);
        assertThat(s.state(rich).priority()).isEqualTo(Priority.UNDER);
        assertThat(s.state(rich).credit()).isGreaterThan(s.state(poor).credit());

        assertThat(s.schedule(0, a, 30 * MS).next()).as("queued after poor, more credit").isSameAs(rich);
        assertThat(s.schedule(1, b, 30 * MS).next()).isSameAs(poor);
    }

    @Test
    void domainSliceBoundsEachRunAndChangesLive()
    {
        final SchedVcpu shortSlice = new SchedVcpu(1, 0, SchedParams.DEFAULTS.withSliceMs(5));
        final SchedVcpu hostSlice = new SchedVcpu(2, 0, SchedParams.DEFAULTS);
        s.insert(shortSlice, 0);
        s.insert(hostSlice, 0);
        s.wake(shortSlice, 0);
        s.wake(hostSlice, 0);

        assertThat(s.schedule(0, null, 0)).isEqualTo(new Scheduler.Decision(shortSlice, 5 * MS));
        assertThat(s.schedule(0, shortSlice, 5 * MS)).isEqualTo(new Scheduler.Decision(hostSlice, 35 * MS));

        s.adjust(2, SchedParams.DEFAULTS.withSliceMs(2), 6 * MS);

        assertThat(hostSlice.params().sliceMs()).isEqualTo(2);
        assertThat(s.schedule(0, hostSlice, 6 * MS)).isEqualTo(new Scheduler.Decision(hostSlice, 7 * MS));
    }

    @Test
    void creditStaysWithinPlusMinus300AtEveryAccounting()
    {
        final SchedSimulator sim = SchedulerSharesTest.simulator(CreditScheduler.NAME, 1);
        final SimVcpu[] vcpus = {
            sim.addBusy(1, SchedParams.DEFAULTS.withWeight(1)),
            sim.addBusy(2, SchedParams.DEFAULTS.withWeight(65535)),
            sim.add(3, 0, SchedParams.DEFAULTS),
        };
        sim.at(50 * MS, s -> s.wake(vcpus[2], 2 * MS));
        for (long t = 30 * MS + 1; t < 5 * SECOND; t += 30 * MS)
        {
            sim.at(t, s ->
            {
                for (final SimVcpu v : vcpus)
                {
                    assertThat(s.scheduler().state(v.sched).credit()).as("%s at %d", v.sched, s.nowNs()).isBetween(-300L, 300L);
                }
            });
        }
        sim.runFor(5 * SECOND);
    }

    @Test
    void weightCountsOncePerActiveVcpuAsInXen()
    {
        final SchedSimulator sim = SchedulerSharesTest.simulator(CreditScheduler.NAME, 1);
        final SimVcpu first = sim.add(1, 0, SchedParams.DEFAULTS);
        final SimVcpu second = sim.add(1, 1, SchedParams.DEFAULTS);
        sim.wake(first);
        sim.wake(second);
        final SimVcpu alone = sim.addBusy(2, SchedParams.DEFAULTS);
        final SchedulerSharesTest.Window window = SchedulerSharesTest.measure30s(sim, first, second, alone);

        assertThat(window.share(0) + window.share(1)).isCloseTo(2.0 / 3, org.assertj.core.api.Assertions.within(0.02));
    }

    /** Two slots: a and b run (UNDER after the tick at 40 ms), the others wait OVER. */
    private void twoRunningUnderOthersQueuedOver(final SchedVcpu a, final SchedVcpu b, final SchedVcpu... over)
    {
        makeOver(s, over);
        s.wake(a, 30 * MS);
        s.wake(b, 30 * MS);
        assertThat(s.schedule(0, null, 30 * MS).next()).isSameAs(a);
        assertThat(s.schedule(1, null, 30 * MS).next()).isSameAs(b);
        s.tick(40 * MS);
        assertThat(s.state(b).priority()).isEqualTo(Priority.UNDER);
    }

    /** Give each vCPU a debt that the accounting at 30 ms turns into OVER, then wake it (OVER does not boost). */
    private static void makeOver(final Scheduler scheduler, final SchedVcpu... vcpus)
    {
        for (final SchedVcpu v : vcpus)
        {
            scheduler.charge(v, 100 * MS, 0);
        }
        scheduler.tick(30 * MS);
        for (final SchedVcpu v : vcpus)
        {
            assertThat(scheduler.state(v).credit()).isEqualTo(-300);
            scheduler.wake(v, 30 * MS);
            assertThat(scheduler.state(v).priority()).isEqualTo(Priority.OVER);
        }
    }

    /** A blocked vCPU of its own domain. */
    private SchedVcpu vcpu(final int domid)
    {
        final SchedVcpu v = new SchedVcpu(domid, 0, SchedParams.DEFAULTS);
        s.insert(v, 0);
        return v;
    }
}
