package org.coopvm.hypervisor.hypercall;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainCounter;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.hypervisor.testing.Response;
import org.coopvm.rings.channel.ChannelProducer;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.grant.GrantEntryDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.coopvm.rings.hypercall.XenVersionOpDescriptor;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and malformed bytes on one domain's hypercall channel and in its grant entries, with
 * the dispatcher on its own agent thread: it never throws, never stalls (a well-behaved domain
 * gets every answer, each within a second), and the garbage domain ends up crashed.
 */
class HypercallFuzzTest
{
    private static final long SEED = 0xC0FFEEL;
    private static final int[] OPS = {
        HypercallOp.MEMORY_OP, HypercallOp.MULTICALL, HypercallOp.XEN_VERSION, HypercallOp.CONSOLE_IO,
        HypercallOp.GRANT_TABLE_OP, HypercallOp.VCPU_OP, HypercallOp.SCHED_OP, HypercallOp.EVENT_CHANNEL_OP};

    @Test
    void garbageNeverCrashesOrStallsTheHypervisorAndTheSenderIsShutDown() throws Exception
    {
        final HypervisorConfig config = HypervisorConfig.defaults(null).withLimits(1023, 5000);
        try (Hypervisor hypervisor = new Hypervisor(config))
        {
            final Domain garbage = hypervisor.createDomain(DomainSpec.of("garbage", 2, 1024, true, "fuzz"));
            final Domain good = hypervisor.createDomain(DomainSpec.of("good", 1, 1024, true, "idle"));
            hypervisor.start();
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong sent = new AtomicLong();
            final Thread fuzzer = new Thread(() -> fuzz(hypervisor, garbage, stop, sent), "fuzzer");
            fuzzer.start();
            long answered = 0;
            long slowestNs = 0;
            try (FakeGuest wellBehaved = new FakeGuest(hypervisor, good, false))
            {
                final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() - endNs < 0 || garbage.status() == DomainStatus.RUNNING && answered < 1_000_000)
                {
                    final long startNs = System.nanoTime();
                    wellBehaved.begin(0, XenVersionOpDescriptor.XENVER_VERSION);
                    final long callId = wellBehaved.offer(HypercallOp.XEN_VERSION, 0);
                    final Response response = wellBehaved.await(0, 5_000);
                    assertThat(response.callId()).isEqualTo(callId);
                    assertThat(response.result()).isEqualTo((XenVersionOpDescriptor.ABI_MAJOR << 16) | XenVersionOpDescriptor.ABI_MINOR);
                    slowestNs = Math.max(slowestNs, System.nanoTime() - startNs);
                    answered++;
                    if (System.nanoTime() - endNs > TimeUnit.SECONDS.toNanos(20))
                    {
                        break;
                    }
                }
            }
            finally
            {
                stop.set(true);
                fuzzer.join(10_000);
            }

            assertThat(hypervisor.agentErrors()).as("doWork never threw").isZero();
            assertThat(answered).as("the good domain kept getting answers").isGreaterThan(100);
            assertThat(slowestNs).as("no stall (a generous bound, not a benchmark)").isLessThan(TimeUnit.SECONDS.toNanos(2));
            assertThat(sent.get()).isGreaterThan(1000);
            assertThat(garbage.counter(DomainCounter.MALFORMED)).isPositive();
            assertThat(garbage.status()).isEqualTo(DomainStatus.SHUTDOWN);
            assertThat(garbage.shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_CRASH);
            assertThat(garbage.shutdownDetail()).contains("guest faults");
            assertThat(good.status()).isEqualTo(DomainStatus.RUNNING);
            assertThat(good.counter(DomainCounter.MALFORMED)).isZero();
        }
    }

    private static void fuzz(final Hypervisor hypervisor, final Domain garbage, final AtomicBoolean stop, final AtomicLong sent)
    {
        final Random random = new Random(SEED);
        final ChannelProducer producer = garbage.regions().hypercall().openProducer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer grants = new UnsafeBuffer(garbage.regions().grantTable().payloadBuffer(), 0, 8 * GrantEntryDescriptor.ENTRIES_PER_FRAME);
        while (!stop.get())
        {
            final int length = randomLength(random, message.capacity());
            for (int i = 0; i < length; i++)
            {
                message.putByte(i, (byte)random.nextInt());
            }
            plausibleHeader(random, message, length);
            final int type = random.nextInt(4) == 0 ? 1 + random.nextInt(100) : OPS[random.nextInt(OPS.length)];
            avoidChosenShutdown(type, message, length);
            producer.offer(type, message, 0, length);
            grants.putLong(8 * random.nextInt(GrantEntryDescriptor.ENTRIES_PER_FRAME), random.nextLong());
            hypervisor.hostDoorbell().wakeIfSleeping();
            sent.incrementAndGet();
            if ((sent.get() & 255) == 0)
            {
                Thread.yield();
            }
        }
    }

    private static int randomLength(final Random random, final int max)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> random.nextInt(16);
            case 1 -> 16 + random.nextInt(32);
            case 2 -> 16 + random.nextInt(256);
            default -> random.nextInt(max);
        };
    }

    /** A guest may shut itself down (or arm a watchdog) with any reason: keep those out, so only crash remains. */
    private static void avoidChosenShutdown(final int type, final UnsafeBuffer message, final int length)
    {
        if (type == HypercallOp.SCHED_OP && length >= 16 &&
            (message.getInt(12) == SchedOpDescriptor.SCHEDOP_SHUTDOWN || message.getInt(12) == SchedOpDescriptor.SCHEDOP_WATCHDOG))
        {
            message.putInt(12, SchedOpDescriptor.SCHEDOP_YIELD);
        }
    }

    /** Most messages get a valid-looking header, so the handlers' own checks are exercised too. */
    private static void plausibleHeader(final Random random, final UnsafeBuffer message, final int length)
    {
        if (length >= 16 && random.nextInt(4) != 0)
        {
            message.putInt(8, random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(2));
            message.putInt(12, random.nextInt(12));
            if (length >= 24 && random.nextBoolean())
            {
                message.putInt(16, random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(40));
                message.putInt(20, random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(64));
            }
        }
    }
}
