package org.coopvm.guest;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.testing.FakeHost;
import org.coopvm.rings.domain.VcpuSlot;
import org.coopvm.rings.doorbell.HostDoorbellDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.coopvm.rings.hypercall.XenVersionOpDescriptor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.*;

/**
 * The guest half of the CPU slot handshake against a fake host whose test grants slots by hand:
 * nothing runs before a grant, an idle vCPU gives its slot back, a preempted one gives it back at
 * its safe point and waits, SCHEDOP_block gives it back while waiting, and so does a vCPU whose
 * hypercall the host is slow to answer when the host asks for the slot meanwhile; an idle vCPU keeps
 * its slot while it sleeps briefly, so work that comes soon needs no new grant.
 */
class KernelSlotsTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long GRANTER_POLL_NS = 20_000;

    @Test
    void aVcpuRunsOnlyWhileItHoldsASlotAndGivesItBackWhenIdleOrPreempted() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(5, 1, "test-idle", Map.of()).cpuSlots();
             GuestKernel kernel = GuestKernel.boot(host.bootRegions(), KernelConfig.DEFAULT.withIdlePollNs(0)))
        {
            final VcpuSlot slot = host.slot(0);
            await().atMost(WAIT).until(() -> slot.request() == SLOT_REQUEST_RUNNABLE);
            assertThat(slot.nativeTid()).as("published before the first request").isPositive();
            assertThat(host.calls()).as("the boot task waits for its slot: no hypercall yet").isEmpty();

            final int firstGrant = slot.grant(0);
            host.kick(0);
            await().atMost(WAIT).until(() -> host.console().contains("CoopVM guest kernel") && slot.releaseSeq() == firstGrant);
            assertThat(slot.request()).as("idle after booting: the slot went back").isEqualTo(SLOT_REQUEST_IDLE);

            final AtomicLong steps = new AtomicLong();
            kernel.context().submit(0, ctx ->
            {
                steps.incrementAndGet();
                return StepResult.CONTINUE;
            });
            await().atMost(WAIT).until(() -> slot.request() == SLOT_REQUEST_RUNNABLE);
            assertThat(steps.get()).as("no step without a slot").isZero();
            final int secondGrant = slot.grant(0);
            host.kick(0);
            await().atMost(WAIT).until(() -> steps.get() > 100);

            slot.preempt(true);
            await().atMost(WAIT).until(() -> slot.releaseSeq() == secondGrant);
            assertThat(slot.request()).as("preempted with work left: still runnable").isEqualTo(SLOT_REQUEST_RUNNABLE);
            assertThat(kernel.preemptRequests()).isEqualTo(1);
            final long stepsWhenPreempted = steps.get();
            assertThat(kernel.slotWaits()).isGreaterThanOrEqualTo(2);

            slot.grant(0);
            host.kick(0);
            await().atMost(WAIT).until(() -> steps.get() > stepsWhenPreempted + 100);
        }
    }

    @Test
    void schedBlockGivesTheSlotBackWhileItWaitsAndAsksAgainAfter() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(6, 1, "test-idle", Map.of()).cpuSlots())
        {
            final AtomicBoolean releasedBeforeBlocking = new AtomicBoolean();
            host.handle(HypercallOp.SCHED_OP, SchedOpDescriptor.SCHEDOP_BLOCK, (request, output) ->
            {
                releasedBeforeBlocking.set(host.slot(0).request() == SLOT_REQUEST_IDLE && !host.slot(0).holds());
                return new long[] {0, 0};
            });
            try (GuestKernel kernel = GuestKernel.boot(host.bootRegions(), KernelConfig.DEFAULT.withIdlePollNs(0)))
            {
                final VcpuSlot slot = host.slot(0);
                grantWhenAsked(host, slot);
                await().atMost(WAIT).until(() -> host.console().contains("CoopVM guest kernel") && slot.request() == SLOT_REQUEST_IDLE);

                final AtomicLong result = new AtomicLong(-1);
                kernel.context().submit(0, ctx ->
                {
                    result.set(kernel.context().hypercalls().schedBlock());
                    return StepResult.DONE;
                });
                grantWhenAsked(host, slot);
                grantWhenAsked(host, slot);
                await().atMost(WAIT).until(() -> result.get() == 0);
                assertThat(releasedBeforeBlocking).as("idle while blocked: the slot was given back first").isTrue();
            }
        }
    }

    @Test
    void aVcpuWaitingForALateHypercallAnswerGivesItsSlotBackWhenAskedAndTakesItAgainBeforeGoingOn() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(8, 1, "test-idle", Map.of()).cpuSlots())
        {
            final CountDownLatch answer = new CountDownLatch(1);
            host.handle(HypercallOp.XEN_VERSION, XenVersionOpDescriptor.XENVER_VERSION, (request, output) ->
            {
                FakeHost.awaitQuietly(answer, WAIT.toSeconds());
                return new long[] {0x4_0011L, 0};
            });
            try (GuestKernel kernel = GuestKernel.boot(host.bootRegions(), KernelConfig.DEFAULT.withIdlePollNs(0)))
            {
                final VcpuSlot slot = host.slot(0);
                grantWhenAsked(host, slot);
                await().atMost(WAIT).until(() -> host.console().contains("CoopVM guest kernel") && slot.request() == SLOT_REQUEST_IDLE);
                final AtomicLong result = new AtomicLong(-1);
                final AtomicBoolean heldAfterTheCall = new AtomicBoolean();
                kernel.context().submit(0, ctx ->
                {
                    result.set(kernel.context().hypercalls().xenVersion());
                    heldAfterTheCall.set(slot.holds());
                    return StepResult.DONE;
                });
                grantWhenAsked(host, slot);
                final int grant = slot.grantSeq();
                await().atMost(WAIT).until(() -> host.calls().stream().anyMatch(c -> c.op() == HypercallOp.XEN_VERSION));

                slot.preempt(true);
                host.kick(0);

                await().atMost(WAIT).until(() -> slot.releaseSeq() == grant);
                assertThat(slot.request()).as("waiting for the host: blocked, not runnable").isEqualTo(SLOT_REQUEST_IDLE);
                assertThat(result.get()).as("the call still waits").isEqualTo(-1);
                slot.preempt(false);
                answer.countDown();
                await().atMost(WAIT).until(() -> slot.request() == SLOT_REQUEST_RUNNABLE && !slot.holds());
                assertThat(result.get()).as("the caller goes on only with a slot").isEqualTo(-1);
                slot.grant(0);
                host.kick(0);
                await().atMost(WAIT).until(() -> result.get() == 0x4_0011L);
                assertThat(heldAfterTheCall).isTrue();
            }
            finally
            {
                answer.countDown();
            }
        }
    }

    @Test
    void anIdleVcpuKeepsItsSlotWhileItSleepsBrieflySoWorkThatComesSoonRunsWithoutAskingAndGivesItBackAfter() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(9, 1, "test-idle", Map.of()).cpuSlots();
             GuestKernel kernel = GuestKernel.boot(host.bootRegions(),
                 KernelConfig.DEFAULT.withIdlePollNs(0).withIdleSlotKeepNs(KernelConfig.MAX_IDLE_SLOT_KEEP_NS)))
        {
            final VcpuSlot slot = host.slot(0);
            final AtomicBoolean hosting = new AtomicBoolean(true);
            final Thread scheduler = Thread.ofPlatform().start(() ->
            {
                while (hosting.get())
                {
                    if (slot.request() == SLOT_REQUEST_RUNNABLE && !slot.holds())
                    {
                        slot.grant(0);
                        host.kick(0);
                    }
                    LockSupport.parkNanos(GRANTER_POLL_NS);
                }
            });
            try
            {
                await().atMost(WAIT).until(() -> host.console().contains("CoopVM guest kernel"));
                final AtomicLong steps = new AtomicLong();
                final TaskHandle task = kernel.context().submit(0, ctx ->
                {
                    steps.incrementAndGet();
                    return StepResult.BLOCK;
                });
                for (int i = 1; i <= 200; i++)
                {
                    awaitSteps(steps, i);
                    task.wake();
                }
                assertThat(kernel.keptSlotWakes()).as("work that came while the vCPU slept keeping its slot ran at once").isPositive();
                await().atMost(WAIT).until(() -> steps.get() == 201 && slot.request() == SLOT_REQUEST_IDLE && !slot.holds());
                assertThat(slot.releaseSeq()).as("idle again: the slot went back once the keep ran out").isEqualTo(slot.grantSeq());

                host.hostDoorbell().payloadBuffer().putIntRelease(HostDoorbellDescriptor.SLOT_WAITERS_OFFSET, 1);
                final long keptBefore = kernel.keptSlotWakes();
                final long waitsBefore = kernel.slotWaits();
                for (int i = 202; i <= 221; i++)
                {
                    task.wake();
                    awaitSteps(steps, i);
                }
                assertThat(kernel.keptSlotWakes()).as("another vCPU waits for a slot: none kept").isEqualTo(keptBefore);
                assertThat(kernel.slotWaits() - waitsBefore).as("it gave the slot back at once and asked again").isPositive();
                await().atMost(WAIT).until(() -> slot.request() == SLOT_REQUEST_IDLE && !slot.holds());
            }
            finally
            {
                hosting.set(false);
                scheduler.join();
            }
        }
    }

    /** Soon after the step (Awaitility's 100 ms polls would let every keep run out). */
    private static void awaitSteps(final AtomicLong steps, final long count)
    {
        final long deadlineNs = System.nanoTime() + WAIT.toNanos();
        while (steps.get() < count)
        {
            assertThat(System.nanoTime() - deadlineNs).as("step " + count + " within " + WAIT).isNegative();
            LockSupport.parkNanos(GRANTER_POLL_NS);
        }
    }

    private static void grantWhenAsked(final FakeHost host, final VcpuSlot slot)
    {
        await().atMost(WAIT).until(() -> slot.request() == SLOT_REQUEST_RUNNABLE && !slot.holds());
        slot.grant(0);
        host.kick(0);
    }

    @Test
    void aVcpuWaitingForASlotStopsWhenTheHostIsGone() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(7, 1, "test-idle", Map.of()).cpuSlots();
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            await().atMost(WAIT).until(() -> host.slot(0).request() == SLOT_REQUEST_RUNNABLE);
            host.playDead();
            assertThat(kernel.awaitTermination(WAIT)).isTrue();
            assertThat(kernel.exit()).hasValueSatisfying(exit -> assertThat(exit.kind()).isEqualTo(KernelExit.Kind.HOST_GONE));
        }
    }
}
