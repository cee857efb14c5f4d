package org.coopvm.hypervisor.sched.runtime;

import org.agrona.concurrent.SystemEpochClock;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.testing.TestHost;
import org.coopvm.hypervisor.usage.UsageConfig;
import org.coopvm.rings.channel.ChannelDescriptor;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.domain.VcpuSlot;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.HostDoorbellDescriptor;
import org.coopvm.rings.doorbell.PeerLiveness;
import org.coopvm.rings.doorbell.SpinThenSleepWaitStrategy;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.hypercall.VcpuOpDescriptor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.*;

/**
 * No lost wake-up, with threads: guest vCPU threads ask for a slot, sleep on their doorbell (no
 * spinning: every wait goes through announce / re-check / sleep), run a moment, give the slot back
 * (idle, runnable or yield, in turn) or honour the preempt flag, thousands of times, against the
 * real {@code cpu-scheduler} thread (which sleeps on its own doorbell whenever it can) on fewer
 * slots than threads. A lost grant or a lost release leaves a thread waiting past its deadline;
 * more holders than slots at any moment would break the count. The vCPUs' sleep slices are 30 s and
 * the scheduler's tick 1 s, so only a doorbell ring ends a wait in time.
 */
class SlotHammerTest
{
    private static final int SLOTS = 2;
    private static final int DOMAINS = 3;
    private static final int VCPUS = 2;
    private static final int ROUNDS = 1500;

    @Test
    void everyRequestIsGrantedAndNeverMoreThanPVcpusHoldASlot() throws Exception
    {
        final HypervisorConfig config = HypervisorConfig.defaults(null).withCpu(
            CpuSchedulerConfig.of(FifoScheduler.NAME, new SchedulerSettings(SLOTS, 1000, 1000, 0)).withEnforcement(1000, 1000, 1000, 1));
        try (Hypervisor hypervisor = new Hypervisor(config, UsageConfig.DEFAULTS, TestHost.SCHEDULERS))
        {
            hypervisor.start();
            final Doorbell schedulerDoorbell = new Doorbell().wrap(hypervisor.hostDoorbellRegion().payloadBuffer(),
                HostDoorbellDescriptor.SCHEDULER_DOORBELL_OFFSET);
            final AtomicInteger holding = new AtomicInteger();
            final AtomicInteger mostHolding = new AtomicInteger();
            final AtomicLong longestWaitNs = new AtomicLong();
            final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            final List<Thread> threads = new ArrayList<>();
            final List<ChannelConsumer> consumers = new ArrayList<>();
            for (int d = 0; d < DOMAINS; d++)
            {
                final Domain domain = hypervisor.createDomain(DomainSpec.of("hammer" + d, VCPUS, 1024, true, "test"));
                for (int k = 0; k < VCPUS; k++)
                {
                    bringUp(hypervisor, domain, k);
                    final ChannelConsumer responses = domain.regions().response(k).openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
                    consumers.add(responses);
                    final Vcpu vcpu = new Vcpu(domain, k, responses.doorbell(), schedulerDoorbell, holding, mostHolding, longestWaitNs,
                        failures);
                    threads.add(Thread.ofPlatform().name("hammer-d" + domain.domid() + "v" + k).start(vcpu));
                }
            }
            for (final Thread thread : threads)
            {
                assertThat(thread.join(Duration.ofSeconds(60))).as("%s finished its rounds", thread.getName()).isTrue();
            }
            assertThat(failures).isEmpty();
            assertThat(mostHolding.get()).as("at most P holders at once").isBetween(1, SLOTS);
            assertThat(longestWaitNs.get()).as("no wait ended by a timeout (the scheduler's tick is 1 s, the vCPUs' 30 s)")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(900));
            assertThat(hypervisor.cpuScheduler().counter(SchedCounter.GRANTS)).isGreaterThanOrEqualTo((long)DOMAINS * VCPUS * ROUNDS);
            assertThat(hypervisor.agentErrors()).isZero();
            consumers.forEach(ChannelConsumer::close);
        }
    }

    private static void bringUp(final Hypervisor hypervisor, final Domain domain, final int vcpu)
    {
        if (vcpu > 0)
        {
            hypervisor.locked(() ->
            {
                domain.setOnline(vcpu, true);
                hypervisor.cpuScheduler().vcpuOnline(domain, vcpu, true);
                return VcpuOpDescriptor.VCPUOP_UP;
            });
        }
    }

    /** One guest vCPU: the guest kernel's slot handshake, without the kernel. */
    private static final class Vcpu implements Runnable
    {
        /** No spinning, and sleep slices far longer than a round: only a wake ends a wait in time. */
        private static final WaitConfig SLEEP_AT_ONCE = new WaitConfig(0, 0, TimeUnit.SECONDS.toNanos(30), 0);

        private final VcpuSlot slot;
        private final Doorbell schedulerDoorbell;
        private final SpinThenSleepWaitStrategy wait;
        private final AtomicInteger holding;
        private final AtomicInteger mostHolding;
        private final AtomicLong longestWaitNs;
        private final ConcurrentLinkedQueue<String> failures;
        private final String name;

        Vcpu(final Domain domain, final int k, final Doorbell own, final Doorbell schedulerDoorbell, final AtomicInteger holding,
            final AtomicInteger mostHolding, final AtomicLong longestWaitNs, final ConcurrentLinkedQueue<String> failures)
        {
            this.slot = new VcpuSlot().wrap(domain.regions().sharedInfo().payloadBuffer(), k);
            this.schedulerDoorbell = schedulerDoorbell;
            this.wait = new SpinThenSleepWaitStrategy(SLEEP_AT_ONCE, own,
                new PeerLiveness().wrap(domain.regions().response(k).region().payloadBuffer(), ChannelDescriptor.PRODUCER_LIVENESS_OFFSET),
                SystemEpochClock.INSTANCE);
            this.holding = holding;
            this.mostHolding = mostHolding;
            this.longestWaitNs = longestWaitNs;
            this.failures = failures;
            this.name = "d" + domain.domid() + "v" + k;
        }

        /** Found nothing to run after all: take the request back; a grant that crossed it is given back. */
        private void withdraw()
        {
            slot.request(SLOT_REQUEST_IDLE);
            schedulerDoorbell.wakeIfSleeping();
            if (slot.holds())
            {
                slot.release(SLOT_REQUEST_IDLE);
                schedulerDoorbell.wakeIfSleeping();
            }
        }

        @Override
        public void run()
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                slot.request(SLOT_REQUEST_RUNNABLE);
                schedulerDoorbell.wakeIfSleeping();
                final long startNs = System.nanoTime();
                if (wait.await(slot::holds, TimeUnit.SECONDS.toNanos(20)) != WaitResult.READY)
                {
                    failures.add(name + ": no grant in round " + round);
                    return;
                }
                longestWaitNs.accumulateAndGet(System.nanoTime() - startNs, Math::max);
                final int now = holding.incrementAndGet();
                mostHolding.accumulateAndGet(now, Math::max);
                for (int i = 0; i < 50 && !slot.preemptRequested(); i++)
                {
                    Thread.onSpinWait();
                }
                holding.decrementAndGet();
                slot.release(round % 3 == 0 ? SLOT_REQUEST_IDLE : round % 3 == 1 ? SLOT_REQUEST_RUNNABLE : SLOT_REQUEST_YIELD);
                schedulerDoorbell.wakeIfSleeping();
                if (round % 4 == 3)
                {
                    withdraw();
                }
            }
            slot.release(SLOT_REQUEST_IDLE);
            schedulerDoorbell.wakeIfSleeping();
        }
    }
}
