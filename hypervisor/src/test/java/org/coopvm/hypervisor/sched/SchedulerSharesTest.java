package org.coopvm.hypervisor.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.coopvm.hypervisor.sched.SchedSimulator.MS;
import static org.coopvm.hypervisor.sched.SchedSimulator.US;

import org.coopvm.hypervisor.sched.SchedSimulator.SimVcpu;

/**
 * What a user of either shipped scheduler relies on, run in the simulator (virtual time): shares
 * follow weights, caps hold, slots are all used, weight changes take effect live, the rate limit
 * protects a vCPU that just started, and a blocked vCPU does not pile up credit.
 */
class SchedulerSharesTest
{
    private static final long SECOND = 1000 * MS;
    private static final double TOLERANCE = 0.02;
    private static final int[] MIX_WEIGHTS = {256, 512, 1024, 256, 256, 256, 256};

    @BothSchedulers
    void busyVcpusShareOneSlotByWeight(final String name)
    {
        final SchedSimulator sim = simulator(name, 1);
        final SimVcpu light = sim.addBusy(1, SchedParams.DEFAULTS.withWeight(256));
        final SimVcpu middle = sim.addBusy(2, SchedParams.DEFAULTS.withWeight(512));
        final SimVcpu heavy = sim.addBusy(3, SchedParams.DEFAULTS.withWeight(1024));
        final Window window = measure30s(sim, light, middle, heavy);

        assertThat(window.share(0)).isCloseTo(1.0 / 7, within(TOLERANCE));
        assertThat(window.share(1)).isCloseTo(2.0 / 7, within(TOLERANCE));
        assertThat(window.share(2)).isCloseTo(4.0 / 7, within(TOLERANCE));
    }

    /**
     * A slot is a host thread: on an overloaded host the vCPU holding it gets a third of a CPU. Shares
     * of the CPU really used still follow the weights (credit shares only the credit the slots
     * delivered; sharing a full slot's worth would leave every busy vCPU UNDER: round robin).
     */
    @BothSchedulers
    void busyVcpusShareTheCpuAnOverloadedSlotDeliversByWeight(final String name)
    {
        final SchedSimulator sim = simulator(name, 1);
        sim.cpuDeliveredPercent(33);
        final SimVcpu light = sim.addBusy(1, SchedParams.DEFAULTS.withWeight(256));
        final SimVcpu middle = sim.addBusy(2, SchedParams.DEFAULTS.withWeight(512));
        final SimVcpu heavy = sim.addBusy(3, SchedParams.DEFAULTS.withWeight(1024));
        final Window window = measure30s(sim, light, middle, heavy);
        final double total = window.share(0) + window.share(1) + window.share(2);

        assertThat(total).as("a third of the slot's time").isCloseTo(0.33, within(TOLERANCE));
        assertThat(window.share(0) / total).isCloseTo(1.0 / 7, within(TOLERANCE));
        assertThat(window.share(1) / total).isCloseTo(2.0 / 7, within(TOLERANCE));
        assertThat(window.share(2) / total).isCloseTo(4.0 / 7, within(TOLERANCE));
    }

    /**
     * The benchmark's mix (weights 256, 512, 1024 and four of 256, one vCPU each) on two slots: each
     * gets what its weight entitles it to, within 3% (Jain's index of achieved / entitled, the issue's
     * goal, at least 0.99), also when the slots deliver only 60% of a CPU, and when a preempted vCPU
     * takes 3 ms to give its slot back (the runtime's cooperative hand-off). Xen's rules gave the
     * weight-1024 vCPU only 0.82 of its share here (credit: lighter UNDER vCPUs ran full slices on
     * both slots while it waited, and its credit over +300 was halved; credit2: each reset clipped the
     * credit it had left), and credit2's floor at -CREDIT_INIT forgave the light vCPUs' hand-off
     * overruns (0.93).
     */
    @BothSchedulers
    void weightedMixOnTwoSlotsGetsItsEntitlements(final String name)
    {
        for (final long[] setup : new long[][] {{100, 0}, {60, 0}, {100, 3}})
        {
            final long deliveredPercent = setup[0];
            final SchedSimulator sim = simulator(name, 2);
            sim.cpuDeliveredPercent(deliveredPercent);
            sim.handOffNs(setup[1] * MS);
            final SimVcpu[] vcpus = new SimVcpu[MIX_WEIGHTS.length];
            for (int i = 0; i < vcpus.length; i++)
            {
                vcpus[i] = sim.addBusy(i + 1, SchedParams.DEFAULTS.withWeight(MIX_WEIGHTS[i]));
            }
            final double[] ratios = measure30s(sim, vcpus).achievedOverEntitled(MIX_WEIGHTS);

            for (int i = 0; i < ratios.length; i++)
            {
                assertThat(ratios[i])
                    .as("achieved / entitled of weight %d, %d%% delivered, %d ms hand-off", MIX_WEIGHTS[i], deliveredPercent, setup[1])
                    .isBetween(0.97, 1.03);
            }
            assertThat(Fairness.jainIndex(ratios)).isGreaterThanOrEqualTo(0.99);
        }
    }

    @BothSchedulers
    void capOf25HoldsOnAnOtherwiseIdleSlot(final String name)
    {
        final SchedSimulator sim = simulator(name, 1);
        final SimVcpu capped = sim.addBusy(1, SchedParams.DEFAULTS.withCapPercent(25));
        final Window window = measure30s(sim, capped);

        assertThat(window.share(0)).isCloseTo(0.25, within(TOLERANCE));
        assertThat(sim.scheduler().state(capped.sched).priority()).isIn(Priority.PARKED, Priority.UNDER, Priority.OVER);
    }

    @BothSchedulers
    void capLeavesTheRestToOthers(final String name)
    {
        final SchedSimulator sim = simulator(name, 1);
        final SimVcpu capped = sim.addBusy(1, SchedParams.DEFAULTS.withWeight(1024).withCapPercent(25));
        final SimVcpu other = sim.addBusy(2, SchedParams.DEFAULTS);
        final Window window = measure30s(sim, capped, other);

        assertThat(window.share(0)).isCloseTo(0.25, within(TOLERANCE));
        assertThat(window.share(1)).isCloseTo(0.75, within(TOLERANCE));
    }

    @BothSchedulers
    void domainOverItsCapIsParkedAndRemovingTheCapUnparksIt(final String name)
    {
        final SchedSimulator sim = simulator(name, 1);
        final SimVcpu capped = sim.addBusy(1, SchedParams.DEFAULTS.withCapPercent(10));
        sim.runFor(SECOND);
        final long limit = sim.nowNs() + SECOND;
        while (sim.scheduler().state(capped.sched).priority() != Priority.PARKED && sim.nowNs() < limit)
        {
            sim.runFor(100 * US);
        }
        assertThat(sim.scheduler().state(capped.sched).priority()).isEqualTo(Priority.PARKED);
        assertThat(sim.on(0)).isNull();

        sim.adjust(1, SchedParams.DEFAULTS);

        assertThat(sim.scheduler().state(capped.sched).priority()).isNotEqualTo(Priority.PARKED);
        assertThat(capped.running()).isTrue();
    }

    @BothSchedulers
    void threeEqualBurnersOnTwoSlotsGetTwoThirdsEach(final String name)
    {
        final SchedSimulator sim = simulator(name, 2);
        final SimVcpu a = sim.addBusy(1, SchedParams.DEFAULTS);
        final SimVcpu b = sim.addBusy(2, SchedParams.DEFAULTS);
        final SimVcpu c = sim.addBusy(3, SchedParams.DEFAULTS);
        final Window window = measure30s(sim, a, b, c);

        for (int i = 0; i < 3; i++)
        {
            assertThat(window.share(i)).as("vCPU %d", i).isCloseTo(2.0 / 3, within(TOLERANCE));
        }
    }

    @BothSchedulers
    void liveWeightChangeChangesShares(final String name)
    {
        final SchedSimulator sim = simulator(name, 1);
        final SimVcpu a = sim.addBusy(1, SchedParams.DEFAULTS);
        final SimVcpu b = sim.addBusy(2, SchedParams.DEFAULTS);
        sim.runFor(SECOND);
        final Window before = new Window(sim, a, b);
        sim.runFor(10 * SECOND);
        assertThat(before.share(0)).isCloseTo(0.5, within(TOLERANCE));

        sim.adjust(1, SchedParams.DEFAULTS.withWeight(768));
        assertThat(a.sched.params().weight()).isEqualTo(768);
        sim.runFor(SECOND);
        final Window after = new Window(sim, a, b);
        sim.runFor(20 * SECOND);

        assertThat(after.share(0)).isCloseTo(0.75, within(TOLERANCE));
        assertThat(after.share(1)).isCloseTo(0.25, within(TOLERANCE));
    }

    @BothSchedulers
    void rateLimitKeepsAJustStartedVcpuFromBeingPreempted(final String name)
    {
        assertThat(wakeToRunOfAWakerRightAfterARestart(name, SchedulerSettings.DEFAULT_RATE_LIMIT_US)).isEqualTo(800 * US);
        assertThat(wakeToRunOfAWakerRightAfterARestart(name, SchedulerSettings.RATE_LIMIT_OFF)).isZero();
    }

    @BothSchedulers
    void blockedVcpuStopsAccruingCredit(final String name)
    {
        final SchedSimulator sim = simulator(name, 1);
        sim.addBusy(1, SchedParams.DEFAULTS);
        sim.addBusy(2, SchedParams.DEFAULTS);
        final SimVcpu sleeper = sim.add(3, 0, SchedParams.DEFAULTS);
        sim.at(100 * MS, s -> s.wake(sleeper, 5 * MS));
        sim.runFor(2 * SECOND);
        final long creditAfter2s = sim.scheduler().state(sleeper.sched).credit();
        sim.runFor(3 * SECOND);
        final VcpuSchedState state = sim.scheduler().state(sleeper.sched);

        assertThat(state.priority()).isEqualTo(Priority.IDLE);
        assertThat(state.credit()).isEqualTo(creditAfter2s).isLessThanOrEqualTo(upperClamp(name));
    }

    private static long wakeToRunOfAWakerRightAfterARestart(final String name, final long rateLimitUs)
    {
        final SchedSimulator sim = new SchedSimulator(Schedulers.load().create(name),
            SchedulerSettings.defaults(1).withRateLimitUs(rateLimitUs));
        final SimVcpu runner = sim.addBusy(1, SchedParams.DEFAULTS);
        final SimVcpu waker = sim.add(2, 0, SchedParams.DEFAULTS);
        sim.at(15 * MS, s -> s.yield(runner));
        sim.at(15 * MS + 200 * US, s -> s.wake(waker, MS));
        sim.runFor(20 * MS);
        assertThat(waker.runs).isEqualTo(1);
        return waker.lastWakeToRunNs;
    }

    private static long upperClamp(final String name)
    {
        return CreditScheduler.NAME.equals(name) ? 300 : Credit2Scheduler.CREDIT_INIT_NS + Credit2Scheduler.CARRYOVER_MAX_NS;
    }

    /** Warm up for a second, then measure 30 s. */
    static Window measure30s(final SchedSimulator sim, final SimVcpu... vcpus)
    {
        sim.runFor(SECOND);
        final Window window = new Window(sim, vcpus);
        sim.runFor(30 * SECOND);
        return window;
    }

    static SchedSimulator simulator(final String name, final int slots)
    {
        return new SchedSimulator(Schedulers.load().create(name), SchedulerSettings.defaults(slots));
    }

    /** CPU each vCPU gets from now on, as a share of one slot. */
    static final class Window
    {
        private final SchedSimulator sim;
        private final SimVcpu[] vcpus;
        private final long[] startCpuNs;
        private final long startNs;

        Window(final SchedSimulator sim, final SimVcpu... vcpus)
        {
            this.sim = sim;
            this.vcpus = vcpus;
            this.startNs = sim.nowNs();
            this.startCpuNs = new long[vcpus.length];
            for (int i = 0; i < vcpus.length; i++)
            {
                startCpuNs[i] = vcpus[i].cpuNs;
            }
        }

        double share(final int i)
        {
            return (double)(vcpus[i].cpuNs - startCpuNs[i]) / (sim.nowNs() - startNs);
        }

        /**
         * @param weights each vCPU's weight (busy vCPUs that each use less than one CPU).
         * @return each vCPU's share over its weight's part of what they all got.
         */
        double[] achievedOverEntitled(final int[] weights)
        {
            double total = 0;
            long weightTotal = 0;
            for (int i = 0; i < vcpus.length; i++)
            {
                total += share(i);
                weightTotal += weights[i];
            }
            final double[] ratios = new double[vcpus.length];
            for (int i = 0; i < vcpus.length; i++)
            {
                ratios[i] = share(i) / (total * weights[i] / weightTotal);
            }
            return ratios;
        }
    }
}
