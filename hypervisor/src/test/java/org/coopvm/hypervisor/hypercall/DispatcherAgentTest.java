package org.coopvm.hypervisor.hypercall;

import org.agrona.concurrent.AgentRunner;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.coopvm.rings.hypercall.VcpuOpDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dispatcher on its own thread: woken by the host doorbell, by its timers, and asleep when idle. */
class DispatcherAgentTest
{
    private final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null));
    private final AgentRunner runner = hypervisor.start();
    private final Domain domain = hypervisor.createDomain(DomainSpec.of("agent", 1, 1024, true, "idle"));
    private final FakeGuest guest = new FakeGuest(hypervisor, domain, false);

    @AfterEach
    void close()
    {
        guest.close();
        hypervisor.close();
    }

    @Test
    void aSleepingDispatcherIsWokenByTheHostDoorbell()
    {
        await().atMost(5, TimeUnit.SECONDS).until(() -> hypervisor.hostDoorbell().sleepers() == 1);
        assertThat(guest.call(0, HypercallOp.XEN_VERSION, 0)).isPositive();
    }

    @Test
    void aTimerWakesTheSleepingDispatcherWhichAnswersABlockedVcpu()
    {
        guest.evtchn(EventChannelOpDescriptor.EVTCHNOP_BIND_VIRQ, EventChannelOpDescriptor.VIRQ_TIMER, 0);
        guest.begin(0, VcpuOpDescriptor.VCPUOP_SET_SINGLESHOT_TIMER).argInt(0, 0)
            .argLong(VcpuOpDescriptor.SINGLESHOT_DEADLINE_OFFSET, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)).argInt(12, 0);
        guest.call(HypercallOp.VCPU_OP, 16);
        guest.begin(0, SchedOpDescriptor.SCHEDOP_BLOCK);
        final long callId = guest.offer(HypercallOp.SCHED_OP, 0);

        assertThat(guest.await(0, 5_000).callId()).isEqualTo(callId);
    }

    @Test
    void theHostHeartbeatsEveryGuestsLivenessSlot()
    {
        final long first = domain.hostLiveness().heartbeatMs();
        await().atMost(5, TimeUnit.SECONDS).until(() -> domain.hostLiveness().heartbeatMs() >= first + 200);
        assertThat(domain.hostLiveness().isGone(System.currentTimeMillis(), 1000)).isFalse();
    }

    @Test
    void anIdleDispatcherBurnsAlmostNoCpu() throws Exception
    {
        await().atMost(5, TimeUnit.SECONDS).until(() -> hypervisor.hostDoorbell().sleepers() == 1);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long threadId = runner.thread().threadId();
        final long cpuBefore = threads.getThreadCpuTime(threadId);
        Thread.sleep(500);
        final long cpuNs = threads.getThreadCpuTime(threadId) - cpuBefore;
        assertThat(cpuNs).as("CPU of the idle dispatcher over 500 ms").isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
    }
}
