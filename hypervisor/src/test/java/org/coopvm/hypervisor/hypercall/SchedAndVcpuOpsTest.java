package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.hypervisor.testing.Response;
import org.coopvm.hypervisor.testing.TestHost;
import org.coopvm.rings.domain.Runstate;
import org.coopvm.rings.domain.VcpuInfoDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.*;
import static org.coopvm.rings.hypercall.SchedOpDescriptor.*;
import static org.coopvm.rings.hypercall.VcpuOpDescriptor.*;

class SchedAndVcpuOpsTest
{
    private static final long MS = 1_000_000L;

    private final TestHost host = new TestHost();
    private final FakeGuest a = host.guest("a");

    @AfterEach
    void close()
    {
        host.close();
    }

    @Test
    void blockIsAnsweredOnlyOnceAnEventIsPendingForTheVcpu()
    {
        final int ipi = (int)a.evtchn(EVTCHNOP_BIND_IPI, 0);
        a.slot(0).request(VcpuInfoDescriptor.SLOT_REQUEST_RUNNABLE);
        final long callId = blockOn(0);
        host.hypervisor().dispatcher().doWork();
        host.hypervisor().cpuScheduler().doWork();
        assertThat(a.poll(0)).as("no event yet: still blocked").isNull();
        assertThat(runstate(0)).as("blocked, though it asked for a slot").isEqualTo(VcpuInfoDescriptor.RUNSTATE_BLOCKED);

        assertThat(a.call(1, HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_SEND, ipi)).as("vCPU 1 sends the ipi").isZero();

        final Response answer = a.poll(0);
        assertThat(answer).isNotNull();
        assertThat(answer.callId()).isEqualTo(callId);
        assertThat(answer.result()).isZero();
        host.hypervisor().cpuScheduler().doWork();
        assertThat(runstate(0)).as("answered: the CPU scheduler grants it its slot").isEqualTo(VcpuInfoDescriptor.RUNSTATE_RUNNING);
    }

    @Test
    void blockReturnsAtOnceWhenAnUpcallIsAlreadyPending()
    {
        final int ipi = (int)a.evtchn(EVTCHNOP_BIND_IPI, 0);
        a.evtchn(EVTCHNOP_SEND, ipi);
        a.begin(0, SCHEDOP_BLOCK);
        assertThat(a.call(HypercallOp.SCHED_OP, 0).result()).isZero();
    }

    @Test
    void pollReturnsForAPendingMaskedPortAndTimesOutOnTheHostClock()
    {
        final int ipi = (int)a.evtchn(EVTCHNOP_BIND_IPI, 1);
        final int other = (int)a.evtchn(EVTCHNOP_BIND_IPI, 1);
        a.bits().mask(ipi);

        pollOn(0, host.clock().nanoTime() + 50 * MS, ipi);
        host.hypervisor().dispatcher().doWork();
        assertThat(a.poll(0)).isNull();
        a.call(1, HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_SEND, other);
        assertThat(a.poll(0)).as("an event on a port not polled, no upcall for vCPU 0").isNull();
        a.call(1, HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_SEND, ipi);
        assertThat(a.poll(0)).as("polled port pending, though masked").isNotNull();

        a.bits().clearPending(ipi);
        pollOn(0, host.clock().nanoTime() + 50 * MS, ipi);
        host.hypervisor().dispatcher().doWork();
        host.clock().advance(49 * MS);
        host.hypervisor().dispatcher().doWork();
        assertThat(a.poll(0)).isNull();
        host.clock().advance(2 * MS);
        host.hypervisor().dispatcher().doWork();
        final Response timeout = a.poll(0);
        assertThat(timeout).isNotNull();
        assertThat(timeout.result()).as("Xen answers 0 on timeout").isZero();
    }

    @Test
    void pollValidatesCountAndPorts()
    {
        a.begin(0, SCHEDOP_POLL).argLong(POLL_TIMEOUT_OFFSET, 0).argInt(POLL_NR_PORTS_OFFSET, 129);
        assertThat(a.call(HypercallOp.SCHED_OP, 12).result()).isEqualTo(-EINVAL);
        a.begin(0, SCHEDOP_POLL).argLong(POLL_TIMEOUT_OFFSET, 0).argInt(POLL_NR_PORTS_OFFSET, 2).argInt(POLL_PORTS_OFFSET, 1);
        assertThat(a.call(HypercallOp.SCHED_OP, 16).result()).as("fewer ports than claimed").isEqualTo(-EINVAL);
        a.begin(0, SCHEDOP_POLL).argLong(POLL_TIMEOUT_OFFSET, 0).argInt(POLL_NR_PORTS_OFFSET, 1).argInt(POLL_PORTS_OFFSET, 5000);
        assertThat(a.call(HypercallOp.SCHED_OP, 16).result()).isEqualTo(-EINVAL);
    }

    @Test
    void singleshotTimerRaisesVirqTimerAndWakesABlockedVcpu()
    {
        final int timerPort = (int)a.evtchn(EVTCHNOP_BIND_VIRQ, VIRQ_TIMER, 1);
        a.begin(0, VCPUOP_SET_SINGLESHOT_TIMER).argInt(TARGET_VCPU_OFFSET, 1)
            .argLong(SINGLESHOT_DEADLINE_OFFSET, host.clock().nanoTime() + 10 * MS).argInt(SINGLESHOT_FLAGS_OFFSET, 0);
        assertThat(a.call(HypercallOp.VCPU_OP, 16).result()).isZero();
        blockOn(1);
        host.hypervisor().dispatcher().doWork();
        assertThat(a.poll(1)).isNull();

        host.clock().advance(10 * MS);
        host.hypervisor().dispatcher().doWork();

        assertThat(a.bits().isPending(timerPort)).isTrue();
        assertThat(a.poll(1)).as("block answered by the timer").isNotNull();
        a.bits().clearPending(timerPort);
        host.clock().advance(100 * MS);
        host.hypervisor().dispatcher().doWork();
        assertThat(a.bits().isPending(timerPort)).as("single shot").isFalse();
    }

    @Test
    void periodicTimerFiresEveryPeriodUntilStopped()
    {
        final int timerPort = (int)a.evtchn(EVTCHNOP_BIND_VIRQ, VIRQ_TIMER, 0);
        a.begin(0, VCPUOP_SET_PERIODIC_TIMER).argInt(TARGET_VCPU_OFFSET, 0).argLong(PERIOD_NS_OFFSET, 5 * MS);
        assertThat(a.call(HypercallOp.VCPU_OP, 12).result()).isZero();
        for (int tick = 0; tick < 3; tick++)
        {
            host.clock().advance(5 * MS);
            host.hypervisor().dispatcher().doWork();
            assertThat(a.bits().clearPending(timerPort)).as("tick %d", tick).isTrue();
        }
        assertThat(a.call(0, HypercallOp.VCPU_OP, VCPUOP_STOP_PERIODIC_TIMER, 0)).isZero();
        host.clock().advance(20 * MS);
        host.hypervisor().dispatcher().doWork();
        assertThat(a.bits().isPending(timerPort)).isFalse();
        a.begin(0, VCPUOP_SET_PERIODIC_TIMER).argInt(TARGET_VCPU_OFFSET, 0).argLong(PERIOD_NS_OFFSET, 1000);
        assertThat(a.call(HypercallOp.VCPU_OP, 12).result()).as("below 1 ms").isEqualTo(-EINVAL);
    }

    @Test
    void vcpuUpDownIsUpAndRuntimeInfo()
    {
        assertThat(a.call(0, HypercallOp.VCPU_OP, VCPUOP_IS_UP, 0)).isEqualTo(1);
        assertThat(a.call(0, HypercallOp.VCPU_OP, VCPUOP_IS_UP, 1)).as("secondary vCPUs start down").isZero();
        assertThat(a.call(0, HypercallOp.VCPU_OP, VCPUOP_UP, 1)).isZero();
        assertThat(a.call(0, HypercallOp.VCPU_OP, VCPUOP_IS_UP, 1)).isEqualTo(1);
        host.clock().advance(7 * MS);
        assertThat(a.call(0, HypercallOp.VCPU_OP, VCPUOP_DOWN, 1)).isZero();
        assertThat(a.call(0, HypercallOp.VCPU_OP, VCPUOP_IS_UP, 7)).isEqualTo(-ENOENT);

        a.begin(0, VCPUOP_GET_RUNSTATE_INFO).argInt(TARGET_VCPU_OFFSET, 1);
        final Response info = a.call(HypercallOp.VCPU_OP, 4);
        assertThat(info.outInt(RUNSTATE_STATE_OUT_OFFSET)).isEqualTo(VcpuInfoDescriptor.RUNSTATE_OFFLINE);
        assertThat(info.outLong(RUNSTATE_TIME_OUT_OFFSET + 8 * VcpuInfoDescriptor.RUNSTATE_BLOCKED))
            .as("up but asking for no slot: blocked").isEqualTo(7 * MS);
        assertThat(runstate(1)).isEqualTo(VcpuInfoDescriptor.RUNSTATE_OFFLINE);
    }

    @Test
    void shutdownRecordsTheReasonAndStopsServing()
    {
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_SHUTDOWN, 9)).isEqualTo(-EINVAL);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_REMOTE_SHUTDOWN, 1, 0)).isEqualTo(-EPERM);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_SHUTDOWN, SHUTDOWN_REBOOT)).isZero();

        assertThat(a.domain().status()).isEqualTo(DomainStatus.SHUTDOWN);
        assertThat(a.domain().shutdownCode()).isEqualTo(SHUTDOWN_REBOOT);
        a.begin(0, 0);
        a.offer(HypercallOp.XEN_VERSION, 0);
        host.hypervisor().dispatcher().doWork();
        assertThat(a.poll(0)).as("a shut down domain is not served").isNull();
    }

    @Test
    void watchdogShutsTheDomainDownWhenNotKicked()
    {
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_WATCHDOG, 0, 0)).isEqualTo(-EINVAL);
        final long id = a.call(0, HypercallOp.SCHED_OP, SCHEDOP_WATCHDOG, 0, 2);
        assertThat(id).isEqualTo(1);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_WATCHDOG, 0, 2)).isEqualTo(2);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_WATCHDOG, 0, 2)).isEqualTo(-ENOSPC);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_WATCHDOG, 2, 0)).as("destroy id 2").isZero();
        host.clock().advance(1500 * MS);
        assertThat(a.call(0, HypercallOp.SCHED_OP, SCHEDOP_WATCHDOG, 1, 2)).as("kick id 1").isZero();
        host.clock().advance(1500 * MS);
        host.hypervisor().dispatcher().doWork();
        assertThat(a.domain().status()).isEqualTo(DomainStatus.RUNNING);

        host.clock().advance(600 * MS);
        host.hypervisor().dispatcher().doWork();
        assertThat(a.domain().status()).isEqualTo(DomainStatus.SHUTDOWN);
        assertThat(a.domain().shutdownCode()).isEqualTo(SHUTDOWN_WATCHDOG);
    }

    private long blockOn(final int vcpu)
    {
        a.begin(vcpu, SCHEDOP_BLOCK);
        return a.offer(HypercallOp.SCHED_OP, 0);
    }

    private void pollOn(final int vcpu, final long deadlineNs, final int port)
    {
        a.begin(vcpu, SCHEDOP_POLL).argLong(POLL_TIMEOUT_OFFSET, deadlineNs).argInt(POLL_NR_PORTS_OFFSET, 1).argInt(POLL_PORTS_OFFSET, port);
        a.offer(HypercallOp.SCHED_OP, 16);
    }

    private int runstate(final int vcpu)
    {
        final Domain domain = a.domain();
        final Runstate.RunstateSnapshot snapshot = new Runstate.RunstateSnapshot();
        assertThat(new Runstate().wrap(domain.regions().sharedInfo().payload()).read(vcpu, snapshot)).isTrue();
        return snapshot.state;
    }
}
