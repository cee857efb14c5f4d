package org.coopvm.hypervisor.sched.runtime;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.hypervisor.testing.TestHost;
import org.coopvm.rings.domain.VcpuSlot;
import org.coopvm.rings.doorbell.HostDoorbellDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.mem.NativeThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.*;
import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.SchedOpDescriptor.*;

/**
 * The slot protocol, single-threaded: fake guests write their slot words, the test drives the
 * scheduler's duty cycle on a manual clock (one slot, a round-robin algorithm with a 10 ms slice,
 * 5 ms tick and grace, 3 overruns suspend for 100 ms).
 */
class CpuSchedulerTest
{
    private static final long MS = 1_000_000L;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final TestHost host = new TestHost(config -> config.withCpu(
        CpuSchedulerConfig.of(FifoScheduler.NAME, new SchedulerSettings(1, 10, 5, 0)).withEnforcement(5, 3, 1000, 100)));
    private final CpuScheduler cpu = host.hypervisor().cpuScheduler();
    private final FakeGuest a = host.guest("a");
    private final FakeGuest b = host.guest("b");

    CpuSchedulerTest()
    {
        cpu.listener(new SchedListener()
        {
            @Override
            public void onOverrun(final int domid, final int vcpu, final long overNs, final int recent)
            {
                events.add("overrun d" + domid + "v" + vcpu + " #" + recent);
            }

            @Override
            public void onSuspended(final int domid, final int vcpu, final long penaltyNs, final int overruns, final String reason)
            {
                events.add("suspended d" + domid + "v" + vcpu + ": " + reason);
            }

            @Override
            public void onResumed(final int domid)
            {
                events.add("resumed d" + domid);
            }

            @Override
            public void onSliceRequest(final int domid, final int vcpu, final int requestedMs, final int effectiveMs,
                final int configuredMs)
            {
                events.add("slice d" + domid + "v" + vcpu + " asked " + requestedMs + " -> " + effectiveMs + " of " + configuredMs);
            }
        });
    }

    @AfterEach
    void close()
    {
        host.close();
    }

    @Test
    void aVcpuThatAsksGetsTheSlotAndOnlyOneOfTwoHoldsOneSlot()
    {
        assertThat(runstate(a, 0)).as("up, asked for nothing").isEqualTo(RUNSTATE_BLOCKED);
        assertThat(runstate(a, 1)).as("secondary vCPUs start down").isEqualTo(RUNSTATE_OFFLINE);

        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();

        assertThat(a.slot(0).holds()).isTrue();
        assertThat(a.slot(0).slotNumber()).isZero();
        assertThat(b.slot(0).holds()).as("one slot").isFalse();
        assertThat(runstate(a, 0)).isEqualTo(RUNSTATE_RUNNING);
        assertThat(runstate(b, 0)).isEqualTo(RUNSTATE_RUNNABLE);
        assertThat(cpu.holders()).isEqualTo(1);

        a.slot(0).release(SLOT_REQUEST_IDLE);
        run();
        assertThat(b.slot(0).holds()).as("the slot goes to the waiter once given back").isTrue();
        assertThat(runstate(a, 0)).isEqualTo(RUNSTATE_BLOCKED);
        assertThat(cpu.counter(SchedCounter.GRANTS)).isEqualTo(2);
    }

    @Test
    void afterItsSliceTheHolderIsAskedForTheSlotAndTheWaiterGetsItWhenItIsGivenBack()
    {
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(a.slot(0).preemptRequested()).as("within its slice").isFalse();

        advance(10);
        assertThat(a.slot(0).preemptRequested()).isTrue();
        assertThat(b.slot(0).holds()).as("cooperative: not before a gives it back").isFalse();

        a.slot(0).release(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(b.slot(0).holds()).isTrue();
        assertThat(runstate(a, 0)).as("preempted, still wants to run").isEqualTo(RUNSTATE_RUNNABLE);

        advance(10);
        assertThat(b.slot(0).preemptRequested()).isTrue();
        b.slot(0).release(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(a.slot(0).holds()).as("round robin").isTrue();
        assertThat(a.slot(0).preemptRequested()).as("a grant clears the flag").isFalse();
        assertThat(cpu.counter(SchedCounter.PREEMPTIONS)).isEqualTo(2);
    }

    @Test
    void aHolderKeepingItsSlotWhileIdleIsAskedForItAsSoonAsAnotherVcpuWaitsNotBefore()
    {
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        a.slot(0).request(SLOT_REQUEST_IDLE); // the guest's idle slot keep: asleep, still holding
        run();
        assertThat(a.slot(0).preemptRequested()).as("nobody waits: it may keep the slot").isFalse();
        assertThat(a.slot(0).holds()).isTrue();

        assertThat(slotWaiters()).isZero();
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(a.slot(0).preemptRequested()).as("b waits and a's slot stands idle, though a's slice is not over").isTrue();
        assertThat(slotWaiters()).as("published for guests about to keep an idle slot").isEqualTo(1);

        a.slot(0).release(SLOT_REQUEST_IDLE);
        run();
        assertThat(b.slot(0).holds()).isTrue();
        assertThat(slotWaiters()).isZero();
        assertThat(runstate(a, 0)).isEqualTo(RUNSTATE_BLOCKED);

        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(b.slot(0).preemptRequested()).as("a busy holder keeps its slot for its slice").isFalse();
    }

    @Test
    void whileTheNextVcpuWaitsForTheHolderToGiveTheSlotBackTheAgentSleepsUntilSomethingIsDue()
    {
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        advance(10);
        assertThat(a.slot(0).preemptRequested()).isTrue();

        advance(5);
        assertThat(cpu.counter(SchedCounter.OVERRUNS)).isEqualTo(1);
        advance(6);
        assertThat(b.slot(0).holds()).as("a still holds the slot").isFalse();
        assertThat(cpu.sleepNs()).as("b's decision time has passed, but only a's release (which rings), the next tick " +
            "(every 5 ms) or a's next deadline needs the agent: it sleeps, no busy duty cycles").isEqualTo(4 * MS);
    }

    @Test
    void aVcpuThatKeepsItsSlotOverrunsAndRepeatedOverrunsSuspendItsDomain()
    {
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        advance(10);
        assertThat(a.slot(0).preemptRequested()).isTrue();

        advance(4);
        assertThat(cpu.counter(SchedCounter.OVERRUNS)).as("within the grace").isZero();
        advance(1);
        assertThat(events).containsExactly("overrun d1v0 #1");
        advance(15);
        advance(15);
        assertThat(events).hasSize(4).element(3).asString().startsWith("suspended d1v0: vcpu 0 kept its slot past its slice");
        assertThat(cpu.suspendedUntilNs(1)).isPresent();
        assertThat(runstate(a, 0)).isEqualTo(RUNSTATE_OFFLINE);
        assertThat(b.slot(0).holds()).as("the slot was taken from a and given to b").isTrue();
        assertThat(a.slot(0).holds()).as("a does not know yet").isTrue();

        advance(100);
        assertThat(events).contains("resumed d1");
        assertThat(cpu.suspendedUntilNs(1)).isEmpty();
        assertThat(runstate(a, 0)).as("may run, but still owes the slot it was granted").isEqualTo(RUNSTATE_RUNNABLE);
        assertThat(b.slot(0).holds()).isTrue();

        a.slot(0).release(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(cpu.holders()).isEqualTo(1);
        advance(10);
        b.slot(0).release(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(a.slot(0).holds()).as("a takes turns again once it gave its old grant back").isTrue();
        assertThat(cpu.counter(SchedCounter.SUSPENSIONS)).isEqualTo(1);
    }

    @Test
    void pauseTakesTheSlotBackAtOnceAndTheVcpuIsOfflineUntilUnpaused()
    {
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(host.hypervisor().pause(a.domain().domid())).isTrue();
        run();
        assertThat(runstate(a, 0)).isEqualTo(RUNSTATE_OFFLINE);
        assertThat(b.slot(0).holds()).isTrue();
        assertThat(a.slot(0).preemptRequested()).as("the guest is told to give its grant back").isTrue();

        host.hypervisor().unpause(a.domain().domid());
        a.slot(0).release(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(runstate(a, 0)).isEqualTo(RUNSTATE_RUNNABLE);
        assertThat(cpu.counter(SchedCounter.REVOCATIONS)).isEqualTo(1);
    }

    @Test
    void aDestroyedDomainsSlotIsFreeAtOnceAndAGoneGuestsToo()
    {
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        host.hypervisor().destroyDomain(a.domain().domid());
        run();
        assertThat(b.slot(0).holds()).isTrue();

        final FakeGuest c = host.guest("c");
        c.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        b.domain().guestLiveness().markClosed();
        run();
        assertThat(c.slot(0).holds()).as("b's kernel closed its liveness slot: b is gone").isTrue();
        assertThat(runstate(b, 0)).isEqualTo(RUNSTATE_OFFLINE);
    }

    @Test
    void runstateTimesAddUpToTheTimeSinceTheDomainWasCreated()
    {
        advance(3);
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        advance(7);
        host.hypervisor().pause(b.domain().domid());
        advance(2);
        host.hypervisor().unpause(b.domain().domid());
        a.slot(0).release(SLOT_REQUEST_IDLE);
        run();
        advance(4);

        final VcpuSchedInfo av = info(a, 0);
        final VcpuSchedInfo bv = info(b, 0);
        assertThat(av.blockedNs()).isEqualTo(3 * MS + 4 * MS);
        assertThat(av.runningNs()).isEqualTo(9 * MS);
        assertThat(bv.blockedNs()).isEqualTo(3 * MS);
        assertThat(bv.runnableNs()).isEqualTo(7 * MS);
        assertThat(bv.offlineNs()).isEqualTo(2 * MS);
        assertThat(bv.runningNs()).isEqualTo(4 * MS);
        assertThat(bv.stealNs()).as("runnable + offline").isEqualTo(9 * MS);
        for (final VcpuSchedInfo v : List.of(av, bv))
        {
            assertThat(v.runningNs() + v.runnableNs() + v.blockedNs() + v.offlineNs()).isEqualTo(16 * MS);
        }
    }

    @Test
    void noTickWhileNothingIsRunnableOrRunning()
    {
        run();
        assertThat(cpu.sleepNs()).as("nothing due: sleep until a guest rings").isEqualTo(-1);
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        assertThat(cpu.sleepNs()).as("the re-check before sleeping sees the request").isZero();
        run();
        assertThat(cpu.sleepNs()).as("a vCPU runs: the next tick").isEqualTo(5 * MS);
        advance(5);
        assertThat(cpu.counter(SchedCounter.TICKS)).isEqualTo(1);

        a.slot(0).release(SLOT_REQUEST_IDLE);
        run();
        advance(50);
        assertThat(cpu.counter(SchedCounter.TICKS)).as("idle again: no more ticks").isEqualTo(1);
        assertThat(cpu.sleepNs()).isEqualTo(-1);
    }

    /**
     * Credit2 needs the tick only for caps: without a capped domain the agent does not wake for ticks
     * (each wake-up a duty cycle; with 16 busy vCPUs they were a quarter of its work), only for its
     * decisions; once a domain is capped, ticks resume at once.
     */
    @Test
    void noTickWhileTheAlgorithmNeedsNone()
    {
        try (TestHost credit2 = new TestHost(config -> config.withCpu(
            CpuSchedulerConfig.of(org.coopvm.hypervisor.sched.Credit2Scheduler.NAME, new SchedulerSettings(1, 30, 5, 1000)))))
        {
            final CpuScheduler scheduler = credit2.hypervisor().cpuScheduler();
            final FakeGuest p = credit2.guest("p");
            final FakeGuest q = credit2.guest("q");
            p.slot(0).request(SLOT_REQUEST_RUNNABLE);
            q.slot(0).request(SLOT_REQUEST_RUNNABLE);
            drive(scheduler);
            assertThat(scheduler.sleepNs()).as("the run's end (10 ms), not the tick (5 ms)").isEqualTo(10 * MS);
            credit2.clock().advance(20 * MS);
            drive(scheduler);
            assertThat(scheduler.counter(SchedCounter.TICKS)).isZero();

            scheduler.adjust(q.domain().domid(), SchedParams.DEFAULTS.withCapPercent(50));
            drive(scheduler);
            assertThat(scheduler.counter(SchedCounter.TICKS)).as("a cap: the tick missed comes at once").isEqualTo(1);
            assertThat(scheduler.sleepNs()).isLessThanOrEqualTo(5 * MS);
        }
    }

    @Test
    void aDirectedYieldRunsTheNamedVcpuOfTheSameDomainFirst()
    {
        assertThat(a.call(0, HypercallOp.VCPU_OP, org.coopvm.rings.hypercall.VcpuOpDescriptor.VCPUOP_UP, 1)).isZero();
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        a.slot(1).request(SLOT_REQUEST_RUNNABLE);
        run();
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_COOP_YIELD_TO, 7)).isEqualTo(-ENOENT);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_COOP_YIELD_TO, 0)).as("to itself").isEqualTo(-EINVAL);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_COOP_YIELD_TO, 1)).isZero();
        a.slot(0).release(SLOT_REQUEST_YIELD);
        run();
        assertThat(a.slot(1).holds()).as("ahead of b, which asked first").isTrue();
        assertThat(b.slot(0).holds()).isFalse();
        assertThat(runstate(a, 0)).as("a yield stays runnable").isEqualTo(RUNSTATE_RUNNABLE);
    }

    @Test
    void aGuestGetsAShorterSliceWhenItAsksButNeverALongerOneAndTheConfiguredSliceStillBoundsIt()
    {
        final int d = a.domain().domid();
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_COOP_SLICE, 11)).as("longer than the host's 10 ms").isEqualTo(-EINVAL);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_COOP_SLICE, -1)).isEqualTo(-EINVAL);
        assertThat(cpu.domain(d).orElseThrow().effective()).as("a refused request changes nothing").isEqualTo(SchedParams.DEFAULTS);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_COOP_SLICE, 3)).as("the slice in effect").isEqualTo(3);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_COOP_SLICE, 3)).isEqualTo(3);

        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        advance(3);
        assertThat(a.slot(0).preemptRequested()).as("after its own 3 ms, not the host's 10").isTrue();

        cpu.adjust(d, SchedParams.DEFAULTS.withSliceMs(2));
        assertThat(cpu.domain(d).orElseThrow().effective().sliceMs()).as("the configured slice bounds the guest's").isEqualTo(2);
        cpu.adjust(d, SchedParams.DEFAULTS.withWeight(512));
        final DomainSchedInfo info = cpu.domain(d).orElseThrow();
        assertThat(info.effective()).as("the guest's 3 ms stays until it asks again").isEqualTo(new SchedParams(512, 0, 3));
        assertThat(info.configured()).isEqualTo(new SchedParams(512, 0, 0));
        assertThat(info.guestSliceMs()).isEqualTo(3);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_COOP_SLICE, 0)).as("back to the configured: the host's").isEqualTo(10);

        assertThat(cpu.domain(d).orElseThrow().effective()).isEqualTo(new SchedParams(512, 0, 0));
        assertThat(cpu.counter(SchedCounter.SLICE_REQUESTS)).isEqualTo(3);
        assertThat(cpu.counter(SchedCounter.SLICE_REQUESTS_REFUSED)).isEqualTo(2);
        assertThat(events).as("only changes are told (and traced)").containsExactly(
            "slice d" + d + "v0 asked 3 -> 3 of 10", "slice d" + d + "v0 asked 0 -> 10 of 10");
    }

    @Test
    void cpuTimeIsChargedFromTheThreadsSchedstatAndAForeignThreadFallsBackToWallTime()
    {
        final VcpuSlot mine = a.slot(0);
        mine.publishNativeTid(NativeThread.currentTid());
        mine.request(SLOT_REQUEST_RUNNABLE);
        run();
        burnCpu(10 * MS);
        advance(1);
        mine.release(SLOT_REQUEST_IDLE);
        run();
        assertThat(info(a, 0).cpuNs()).as("this thread's CPU, not the 1 ms of host clock").isGreaterThan(5 * MS);
        assertThat(info(a, 0).wallCharges()).isZero();

        final VcpuSlot foreign = b.slot(0);
        foreign.publishNativeTid(1);
        foreign.request(SLOT_REQUEST_RUNNABLE);
        run();
        advance(3);
        foreign.release(SLOT_REQUEST_IDLE);
        run();
        assertThat(info(b, 0).cpuNs()).as("pid 1 is not a thread of this process: the wall time held").isEqualTo(3 * MS);
        assertThat(info(b, 0).wallCharges()).isPositive();
        assertThat(cpu.counter(SchedCounter.WALL_TIME_CHARGES)).isPositive();
    }

    @Test
    void aLiveChangeStartsFromTheConfiguredParametersNotASliceTheGuestAskedFor()
    {
        final int d = a.domain().domid();
        final List<String> adjusted = new CopyOnWriteArrayList<>();
        cpu.listener(new SchedListener()
        {
            @Override
            public void onAdjusted(final int domid, final SchedParams before, final SchedParams after, final String by)
            {
                adjusted.add(before + " -> " + after + " by " + by);
            }
        });
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_COOP_SLICE, 3)).isEqualTo(3);

        assertThat(cpu.adjust(d, p -> p.withWeight(512), "test")).contains(new SchedParams(512, 0, 0));

        final DomainSchedInfo info = cpu.domain(d).orElseThrow();
        assertThat(info.configured()).as("the guest's 3 ms did not become the configured slice").isEqualTo(new SchedParams(512, 0, 0));
        assertThat(info.effective()).isEqualTo(new SchedParams(512, 0, 3));
        assertThat(adjusted).containsExactly(SchedParams.DEFAULTS + " -> " + new SchedParams(512, 0, 0) + " by test");
        assertThatThrownBy(() -> cpu.adjust(d, p -> p.withCapPercent(201), "test")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cap 201 outside 0..200");
        assertThat(cpu.domain(d).orElseThrow().configured()).as("nothing changed").isEqualTo(new SchedParams(512, 0, 0));
        assertThat(cpu.adjust(99, p -> p.withWeight(512), "test")).as("no such domain").isEmpty();
    }

    /**
     * The host clock here is manual: this thread, runnable all along, has had far less than the 5 ms
     * grace of CPU when the deadline passes (as a guest thread starved by an overloaded host): not
     * blamed until it has really had the grace in CPU without giving the slot back.
     */
    @Test
    void aRunnableVcpuThreadThatHadLessThanTheGraceInCpuIsNotBlamedUntilItHad()
    {
        a.slot(0).publishNativeTid(NativeThread.currentTid());
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        run();
        b.slot(0).request(SLOT_REQUEST_RUNNABLE);
        advance(10);
        assertThat(a.slot(0).preemptRequested()).isTrue();

        advance(6);
        assertThat(events).as("past the deadline on the host clock, but starved of CPU").isEmpty();
        assertThat(cpu.counter(SchedCounter.OVERRUNS_EXCUSED)).isPositive();

        burnCpu(6 * MS);
        for (int i = 0; i < 20 && events.isEmpty(); i++)
        {
            advance(6);
        }
        assertThat(events).as("it had the grace in CPU and kept the slot").containsExactly("overrun d1v0 #1");
    }

    @Test
    void aVcpuThreadAsleepWhileHoldingTheSlotIsBlamedAtTheDeadline() throws Exception
    {
        final java.util.concurrent.CompletableFuture<Integer> tid = new java.util.concurrent.CompletableFuture<>();
        final Thread sleeper = Thread.ofPlatform().daemon().start(() ->
        {
            tid.complete(NativeThread.currentTid());
            try
            {
                Thread.sleep(60_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        try
        {
            a.slot(0).publishNativeTid(tid.get());
            org.awaitility.Awaitility.await().until(() -> sleeper.getState() == Thread.State.TIMED_WAITING);
            a.slot(0).request(SLOT_REQUEST_RUNNABLE);
            run();
            b.slot(0).request(SLOT_REQUEST_RUNNABLE);
            advance(10);

            advance(6);

            assertThat(events).as("asleep, not starved: it could have given the slot back").containsExactly("overrun d1v0 #1");
        }
        finally
        {
            sleeper.interrupt();
        }
    }

    @Test
    void aBlockedVcpuIsBlockedEvenWhenItAskedForASlotAndRunnableOnceAnswered()
    {
        final int ipi = (int)a.evtchn(org.coopvm.rings.hypercall.EventChannelOpDescriptor.EVTCHNOP_BIND_IPI, 0);
        a.slot(0).request(SLOT_REQUEST_RUNNABLE);
        a.begin(0, SCHEDOP_BLOCK);
        a.offer(HypercallOp.SCHED_OP, 0);
        host.hypervisor().dispatcher().doWork();
        assertThat(runstate(a, 0)).isEqualTo(RUNSTATE_BLOCKED);
        run();
        assertThat(a.slot(0).holds()).as("no slot while blocked").isFalse();

        a.call(1, HypercallOp.EVENT_CHANNEL_OP, org.coopvm.rings.hypercall.EventChannelOpDescriptor.EVTCHNOP_SEND, ipi);
        assertThat(a.poll(0)).isNotNull();
        assertThat(runstate(a, 0)).isEqualTo(RUNSTATE_RUNNABLE);
        run();
        assertThat(runstate(a, 0)).isEqualTo(RUNSTATE_RUNNING);
    }

    @Test
    void aProcessGuestIsStoppedWhilePausedOrSuspendedAndContinuedOnlyWhenNeither() throws Exception
    {
        try (org.coopvm.rings.testing.ShmDirectory run = new org.coopvm.rings.testing.ShmDirectory();
             TestHost files = new TestHost(run.path(), config -> config.withCpu(
                 CpuSchedulerConfig.of(FifoScheduler.NAME, new SchedulerSettings(1, 10, 5, 0)).withEnforcement(5, 1, 1000, 100))))
        {
            final List<String> signals = new CopyOnWriteArrayList<>();
            final CpuScheduler scheduler = files.hypervisor().cpuScheduler();
            scheduler.guestProcesses(new GuestProcesses()
            {
                @Override
                public boolean stop(final int domid)
                {
                    return signals.add("STOP d" + domid);
                }

                @Override
                public boolean resume(final int domid)
                {
                    return signals.add("CONT d" + domid);
                }
            });
            final FakeGuest p = files.guest(DomainSpec.of("p", 1, 1024, false, "test"));
            final FakeGuest q = files.guest(DomainSpec.of("q", 1, 1024, false, "test"));
            final Domain pd = p.domain();
            p.slot(0).request(SLOT_REQUEST_RUNNABLE);
            q.slot(0).request(SLOT_REQUEST_RUNNABLE);
            drive(scheduler);
            files.clock().advance(10 * MS);
            drive(scheduler);
            assertThat(p.slot(0).preemptRequested()).isTrue();
            files.clock().advance(5 * MS);
            drive(scheduler);
            assertThat(signals).as("one overrun suspends here").containsExactly("STOP d" + pd.domid());
            assertThat(q.slot(0).holds()).isTrue();

            files.hypervisor().pause(pd.domid());
            files.clock().advance(100 * MS);
            drive(scheduler);
            assertThat(signals).as("the suspension ended, but the domain is paused").hasSize(1);
            files.hypervisor().unpause(pd.domid());
            assertThat(signals).containsExactly("STOP d" + pd.domid(), "CONT d" + pd.domid());
        }
    }

    private int slotWaiters()
    {
        return host.hypervisor().hostDoorbellRegion().payloadBuffer().getIntVolatile(HostDoorbellDescriptor.SLOT_WAITERS_OFFSET);
    }

    private void run()
    {
        drive(cpu);
    }

    private static void drive(final CpuScheduler scheduler)
    {
        while (scheduler.doWork() > 0)
        {
            // until nothing changes
        }
    }

    private void advance(final long ms)
    {
        host.clock().advance(ms * MS);
        run();
    }

    private int runstate(final FakeGuest guest, final int vcpu)
    {
        return info(guest, vcpu).runstate();
    }

    private VcpuSchedInfo info(final FakeGuest guest, final int vcpu)
    {
        return cpu.vcpus(guest.domain().domid()).get(vcpu);
    }

    /** Spin until this thread has used {@code ns} of CPU (however long that takes on a busy machine). */
    private static void burnCpu(final long ns)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long end = threads.getCurrentThreadCpuTime() + ns;
        while (threads.getCurrentThreadCpuTime() - end < 0)
        {
            Thread.onSpinWait();
        }
    }
}
