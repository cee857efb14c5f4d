package org.coopvm.guest;

import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.mem.AllocationResult;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.testing.FakeHost;
import org.coopvm.guest.testing.TestDrivers;
import org.coopvm.rings.doorbell.PeerLivenessDescriptor;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class GuestKernelTest
{
    @Test
    void bootsTheNamedWorkloadWhichLogsAndPowersOff() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(3, 1, "test-hello", Map.of("greeting", "hi")))
        {
            final GuestKernel kernel = GuestKernel.boot(host.bootRegions());

            assertThat(kernel.awaitTermination(Duration.ofSeconds(10))).isTrue();
            assertThat(kernel.exit()).hasValue(KernelExit.shutdown(ShutdownReason.POWEROFF));
            assertThat(host.console()).contains("CoopVM guest kernel: domain 3, 1 vCPUs").contains("hello from dom3 greeting=hi");
            assertThat(host.shutdownReason()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
            assertThat(host.guestLivenessState()).as("the guest closed its liveness slot").isEqualTo(PeerLivenessDescriptor.STATE_CLOSED);
        }
    }

    @Test
    void framesBeyondBootMemoryStartOfflineAndAreNeverHandedOut() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(11, 1, "test-idle", Map.of()).bootMemoryPages(16);
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            final GuestMemory memory = kernel.context().memory();
            await().atMost(5, TimeUnit.SECONDS).until(() -> host.console().contains("16 pages"));

            assertThat(memory.maxFrames()).isEqualTo(64);
            assertThat(memory.onlineFrames()).isEqualTo(16);
            assertThat(memory.offlineFrames()).isEqualTo(48);
            assertThat(memory.allocatePages(memory.freeFrames() + 1)).isInstanceOf(AllocationResult.OutOfMemory.class);
            final Allocation rest = memory.allocatePages(memory.freeFrames()).toOptional().orElseThrow();
            for (int page = 0; page < rest.pages(); page++)
            {
                assertThat(rest.frame(page)).isLessThan(16);
            }
        }
    }

    @Test
    void driversStartOnVcpuZeroBeforeTheWorkloadAFailingOneIsReportedAndTheOthersStopWithTheKernel() throws Exception
    {
        TestDrivers.ACTIVE.add(41);
        try (FakeHost host = FakeHost.inProcess(41, 1, "test-hello", Map.of("greeting", "hi")))
        {
            final GuestKernel kernel = GuestKernel.boot(host.bootRegions());

            assertThat(kernel.awaitTermination(Duration.ofSeconds(10))).isTrue();
            assertThat(kernel.exit()).as("a failing driver does not stop the boot").hasValue(KernelExit.shutdown(ShutdownReason.POWEROFF));
            final String console = host.console();
            assertThat(console).contains("driver test-failing failed to start: java.lang.IllegalStateException: no such device in dom41")
                .contains("test-recording started on dom41-vcpu0")
                .contains("hello from dom41");
            assertThat(console.indexOf("test-recording started")).as("drivers before the workload")
                .isLessThan(console.indexOf("CoopVM guest kernel:"));
            assertThat(TestDrivers.STOPPED).as("stopped with the kernel").contains(41);
        }
        finally
        {
            TestDrivers.ACTIVE.remove(41);
        }
    }

    @Test
    void aDisabledDriverIsNotStartedAndARunningOneIsFoundByNameUntilTheKernelStops() throws Exception
    {
        TestDrivers.ACTIVE.add(42);
        try (FakeHost host = FakeHost.inProcess(42, 1, "test-idle", Map.of()))
        {
            final GuestKernel kernel = GuestKernel.boot(host.bootRegions(), KernelConfig.DEFAULT.withDisabledDrivers(Set.of("test-failing")));
            await().atMost(5, TimeUnit.SECONDS).until(() -> host.console().contains("CoopVM guest kernel:"));

            assertThat(kernel.driver("test-recording")).isPresent();
            assertThat(kernel.driver("test-failing")).isEmpty();
            assertThat(host.console()).contains("test-recording started").doesNotContain("test-failing");
            kernel.close();
            assertThat(kernel.driver("test-recording")).isEmpty();
            assertThat(TestDrivers.STOPPED).contains(42);
        }
        finally
        {
            TestDrivers.ACTIVE.remove(42);
        }
    }

    @Test
    void anUnknownWorkloadFailsTheBootWithACrashShutdown() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(4, 1, "no-such-workload", Map.of()))
        {
            final GuestKernel kernel = GuestKernel.boot(host.bootRegions());

            assertThat(kernel.awaitTermination(Duration.ofSeconds(10))).isTrue();
            assertThat(kernel.exit().orElseThrow().kind()).isEqualTo(KernelExit.Kind.FAILED);
            assertThat(host.console()).contains("unknown workload 'no-such-workload'");
            assertThat(host.shutdownReason()).isEqualTo(SchedOpDescriptor.SHUTDOWN_CRASH);
        }
    }

    @Test
    void eventsReachTheHandlerOnTheVcpuThePortIsBoundTo() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(5, 2, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            final List<String> threads = new CopyOnWriteArrayList<>();
            final AtomicInteger events = new AtomicInteger();
            kernel.context().events().register(7, port ->
            {
                threads.add(Thread.currentThread().getName());
                events.incrementAndGet();
            });

            for (int i = 1; i <= 1000; i++)
            {
                assertThat(host.raise(7, 1)).isTrue();
                awaitCount(events, i);
            }

            assertThat(threads).hasSize(1000).allMatch("dom5-vcpu1"::equals);
            host.bits().mask(7);
            assertThat(host.raise(7, 1)).as("a masked port does not kick").isFalse();
            await().during(100, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(() -> events.get() == 1000);
        }
    }

    @Test
    void anEventHandlerWakesABlockedTask() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(6, 1, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            final AtomicInteger runs = new AtomicInteger();
            final TaskHandle task = kernel.context().submit(ctx -> runs.incrementAndGet() == 3 ? StepResult.DONE : StepResult.BLOCK);
            kernel.context().events().register(9, port -> task.wake());
            await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 1);

            host.raise(9, 0);
            await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 2);
            host.raise(9, 0);

            assertThat(task.awaitDone(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anEventNotificationGoesOutWithoutWaitingForTheHostFromAVcpuOrAnyOtherThread() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(9, 2, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            final CountDownLatch hostAnswers = new CountDownLatch(1);
            host.handle(HypercallOp.EVENT_CHANNEL_OP, EventChannelOpDescriptor.EVTCHNOP_COOP_SEND_ASYNC, (request, output) ->
            {
                if (request.argInt(EventChannelOpDescriptor.PORT_OFFSET) == 11)
                {
                    FakeHost.awaitQuietly(hostAnswers, 30);
                }
                return new long[] {0, 0};
            });
            final TaskHandle task = kernel.context().submit(1, ctx ->
            {
                kernel.context().hypercalls().evtchnNotify(11);
                return StepResult.DONE;
            });

            assertThat(task.awaitDone(5, TimeUnit.SECONDS)).as("done while the host still holds the call").isTrue();
            kernel.context().hypercalls().evtchnNotify(12);
            assertThat(hostAnswers.getCount()).as("from a foreign thread: handed to vCPU 0, not waited for").isOne();
            hostAnswers.countDown();
            await().atMost(5, TimeUnit.SECONDS).until(() -> host.calls().stream()
                .filter(c -> c.op() == HypercallOp.EVENT_CHANNEL_OP && c.cmd() == EventChannelOpDescriptor.EVTCHNOP_COOP_SEND_ASYNC).count() == 2);
        }
    }

    @Test
    void hypercallsGoOutOnTheCallingVcpuOrAreRoutedThroughVcpuZero() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(7, 2, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            host.handle(HypercallOp.EVENT_CHANNEL_OP, EventChannelOpDescriptor.EVTCHNOP_SEND,
                (request, output) -> new long[] {request.argInt(EventChannelOpDescriptor.PORT_OFFSET) == 11 ? 0 : -Errno.EINVAL, 0});
            final AtomicLong fromTask = new AtomicLong(1);
            final TaskHandle task = kernel.context().submit(1, ctx ->
            {
                fromTask.set(kernel.context().hypercalls().evtchnSend(11));
                return StepResult.DONE;
            });

            assertThat(kernel.context().hypercalls().xenVersion()).as("routed from a foreign thread").isEqualTo(1 << 16);
            assertThat(task.awaitDone(5, TimeUnit.SECONDS)).isTrue();
            assertThat(fromTask).hasValue(0);
            assertThat(kernel.context().hypercalls().evtchnSend(12)).isEqualTo(-Errno.EINVAL);
            assertThat(kernel.context().hypercalls().memoryCurrentReservation(EventChannelOpDescriptor.DOMID_SELF))
                .as("errno results are values").isEqualTo(-Errno.ENOSYS);
            assertThat(host.calls()).anySatisfy(call ->
            {
                assertThat(call.op()).isEqualTo(HypercallOp.EVENT_CHANNEL_OP);
                assertThat(call.vcpu()).isEqualTo(1);
            });
            assertThat(host.calls().stream().filter(c -> c.op() == HypercallOp.XEN_VERSION)).allMatch(c -> c.vcpu() == 0);
        }
    }

    @Test
    void theGuestHeartbeatsAndStopsWhenTheHostGoesSilent() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(8, 1, "test-idle", Map.of()))
        {
            final GuestKernel kernel = GuestKernel.boot(host.bootRegions());
            final long firstBeat = host.guestHeartbeatMs();
            await().atMost(5, TimeUnit.SECONDS).until(() -> host.guestHeartbeatMs() > firstBeat);

            final long deadNs = System.nanoTime();
            host.playDead();

            assertThat(kernel.awaitTermination(Duration.ofSeconds(5))).isTrue();
            assertThat(System.nanoTime() - deadNs).as("stopped within 2 s of the host's last heartbeat")
                .isLessThan(TimeUnit.SECONDS.toNanos(2) + TimeUnit.MILLISECONDS.toNanos(200));
            assertThat(kernel.exit().orElseThrow().kind()).isEqualTo(KernelExit.Kind.HOST_GONE);
            await().atMost(2, TimeUnit.SECONDS).until(() -> threadsNamed("dom8-").isEmpty());
        }
    }

    @Test
    void aSecondKernelCannotAttachWhileOneRunsButBootsOnceItStopped() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(10, 2, "test-idle", Map.of()))
        {
            final GuestKernel first = GuestKernel.boot(host.bootRegions());
            assertThatThrownBy(() -> GuestKernel.boot(host.bootRegions())).isInstanceOf(IllegalStateException.class);

            first.close();
            assertThat(first.isTerminated()).isTrue();

            try (GuestKernel second = GuestKernel.boot(host.bootRegions()))
            {
                assertThat(second.context().hypercalls().xenVersion()).isEqualTo(1 << 16);
            }
        }
    }

    @Test
    void anIdleKernelBurnsAlmostNoCpu() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(9, 2, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            await().atMost(5, TimeUnit.SECONDS).until(() -> host.console().contains("workload test-idle"));
            assertThat(kernel.exit()).as("still running").isEmpty();
            final long[] ids = threadsNamed("dom9-").stream().mapToLong(ThreadInfo::getThreadId).toArray();
            assertThat(ids).as("two vCPU threads and the kernel thread").hasSize(3);
            final long cpuStartNs = cpuTime(ids);
            final long wallStartNs = System.nanoTime();

            await().pollDelay(500, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> true);

            final long cpuNs = cpuTime(ids) - cpuStartNs;
            final long wallNs = System.nanoTime() - wallStartNs;
            assertThat(cpuNs).as("CPU time (ns) of an idle guest's threads over %d ns", wallNs).isLessThan(wallNs / 20);
        }
    }

    private static void awaitCount(final AtomicInteger counter, final int expected)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counter.get() != expected)
        {
            assertThat(System.nanoTime() - deadlineNs).as("counter reaches %d, is %d", expected, counter.get()).isNegative();
            Thread.yield();
        }
    }

    private static List<ThreadInfo> threadsNamed(final String prefix)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
            .filter(info -> info != null && info.getThreadName().startsWith(prefix))
            .toList();
    }

    private static long cpuTime(final long[] ids)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (final long id : ids)
        {
            total += Math.max(0, threads.getThreadCpuTime(id));
        }
        return total;
    }
}
