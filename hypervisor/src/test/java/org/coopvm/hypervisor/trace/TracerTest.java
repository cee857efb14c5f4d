package org.coopvm.hypervisor.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracerTest
{
    private static final long T0 = 1_796_392_862_123_456_789L; // 2026-12-04T...Z, any fixed instant

    @TempDir
    Path runDir;

    private final AtomicLong now = new AtomicLong(T0);
    private final EpochNanoClock clock = () -> now.getAndAdd(1_000);

    @Test
    void lifecycleLevelRecordsLifecycleAndFaultsButNotHypercalls()
    {
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.LIFECYCLE, clock))
        {
            writeOneOfEach(tracer);
        }

        final List<TraceRecord> records = readAll(TraceFilter.ALL);
        assertThat(records).extracting(TraceRecord::type).doesNotContain(TraceRecordType.HYPERCALL);
        assertThat(records).extracting(TraceRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(records).extracting(TraceRecord::timestampNs).isSorted().startsWith(T0, T0 + 1_000);
        assertThat(records.get(0)).isEqualTo(new TraceRecord.Lifecycle(1, T0, 0, LifecycleEvent.HOST_STARTED, 0, ""));
        assertThat(records).contains(
            new TraceRecord.Lifecycle(6, T0 + 5_000, 1, LifecycleEvent.DOMAIN_SHUTDOWN, 0, "poweroff"),
            new TraceRecord.Lifecycle(7, T0 + 6_000, 2, LifecycleEvent.DOMAIN_CRASHED, 0, "64 malformed hypercalls"),
            new TraceRecord.Lifecycle(8, T0 + 7_000, 2, LifecycleEvent.GUEST_PROCESS_DIED, 137, ""),
            new TraceRecord.Fault(9, T0 + 8_000, 2, "hypercall op 99 unknown", 64));
    }

    @Test
    void hypercallsLevelAlsoRecordsEveryHypercallWithItsFields()
    {
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.HYPERCALLS, clock))
        {
            writeOneOfEach(tracer);
        }

        final List<TraceRecord> calls = readAll(TraceFilter.ALL.withType(TraceRecordType.HYPERCALL));
        assertThat(calls).containsExactly(
            new TraceRecord.Hypercall(6, T0 + 5_000, 1, 0, "event_channel_op", "send", 0, 5_300),
            new TraceRecord.Hypercall(8, T0 + 7_000, 2, 1, "grant_table_op", "map_grant_ref", -22, 900));
        assertThat(readAll(TraceFilter.ALL)).hasSize(13);
    }

    @Test
    void filtersByDomainTypeAndTimeRange()
    {
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.HYPERCALLS, clock))
        {
            writeOneOfEach(tracer);
        }

        assertThat(readAll(TraceFilter.ALL.withDomain(2))).extracting(TraceRecord::domid).containsOnly(2).hasSize(5);
        assertThat(readAll(TraceFilter.ALL.withDomain(0))).extracting(TraceRecord::seq).containsExactly(1L, 13L);
        assertThat(readAll(TraceFilter.ALL.withDomain(2).withType(TraceRecordType.FAULT)))
            .containsExactly(new TraceRecord.Fault(11, T0 + 10_000, 2, "hypercall op 99 unknown", 64));
        assertThat(readAll(TraceFilter.ALL.withTimeRange(T0 + 1_000, T0 + 3_000)))
            .extracting(TraceRecord::seq).containsExactly(2L, 3L);
        assertThat(readAll(TraceFilter.ALL.withDomain(7))).isEmpty();
    }

    @Test
    void offOpensNothingAndRecordsNothing()
    {
        final Path queueDir = runDir.resolve(TraceSchema.TRACE_DIR_NAME);
        try (Tracer tracer = Tracer.open(queueDir, TraceLevel.OFF, clock))
        {
            assertThat(tracer).isSameAs(Tracer.off());
            writeOneOfEach(tracer);
            assertThat(tracer.isEnabled(TraceRecordType.LIFECYCLE)).isFalse();
        }
        assertThat(queueDir).doesNotExist();
        assertThat(now.get()).as("the clock is never read").isEqualTo(T0);
    }

    @Test
    void offAllocatesNothingOnTheHotPath()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Tracer tracer = Tracer.off();
        final int calls = 100_000;
        for (int i = 0; i < calls; i++)
        {
            recordHotPath(tracer, i); // warm up and let the JIT settle
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++)
        {
            recordHotPath(tracer, i);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // One allocation per call would be at least 16 bytes x 300,000 calls. Allow under one byte
        // per call: room for the JIT or the measurement itself, none for allocating per call.
        assertThat(allocated).as("bytes allocated by %d OFF trace calls", 3 * calls).isLessThan(3L * calls);
    }

    @Test
    void sequenceContinuesWhenTheTraceIsReopened()
    {
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.LIFECYCLE, clock))
        {
            tracer.hostStarted();
            tracer.hostStopped();
        }
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.LIFECYCLE, clock))
        {
            tracer.hostStarted();
        }
        assertThat(readAll(TraceFilter.ALL)).extracting(TraceRecord::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void threadsWritingTogetherGetOneGaplessSequenceInQueueOrder() throws Exception
    {
        final int threadCount = 4;
        final int perThread = 2_000;
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.HYPERCALLS, clock))
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++)
            {
                final int domid = t + 1;
                threads.add(Thread.ofPlatform().name("writer-" + domid).start(() -> writeHypercalls(tracer, start, domid, perThread)));
            }
            start.countDown();
            for (final Thread thread : threads)
            {
                thread.join(60_000);
                assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
            }
        }

        final List<TraceRecord> records = readAll(TraceFilter.ALL);
        assertThat(records).hasSize(threadCount * perThread);
        for (int i = 0; i < records.size(); i++)
        {
            assertThat(records.get(i).seq()).isEqualTo(i + 1L);
        }
        assertThat(records).extracting(TraceRecord::timestampNs).isSorted();
        assertThat(readAll(TraceFilter.ALL.withDomain(3))).hasSize(perThread);
    }

    @Test
    void recordsAfterCloseAreDroppedNotThrown()
    {
        final Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.HYPERCALLS, clock);
        tracer.hostStarted();
        tracer.close();
        tracer.close();
        writeOneOfEach(tracer);
        assertThat(readAll(TraceFilter.ALL)).hasSize(1);
    }

    @Test
    void refusesToOpenAQueueWhenChronicleAnalyticsAreNotDisabled()
    {
        final Path queueDir = runDir.resolve(TraceSchema.TRACE_DIR_NAME);
        assertThatThrownBy(() -> ChronicleSafety.requireAnalyticsDisabled(null, queueDir))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("-Dchronicle.analytics.disable=true").hasMessageContaining(queueDir.toString());
        assertThatThrownBy(() -> ChronicleSafety.requireAnalyticsDisabled("false", queueDir))
            .isInstanceOf(IllegalStateException.class);

        final String saved = System.clearProperty(ChronicleSafety.ANALYTICS_DISABLE_PROPERTY);
        try
        {
            assertThatThrownBy(() -> Tracer.open(queueDir, TraceLevel.LIFECYCLE, clock))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jvm.options");
            assertThat(queueDir).doesNotExist();
        }
        finally
        {
            System.setProperty(ChronicleSafety.ANALYTICS_DISABLE_PROPERTY, saved);
        }
    }

    @Test
    void memoryRecordsAreWrittenAtLifecycleLevelWithTheirFields()
    {
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.LIFECYCLE, clock))
        {
            tracer.memory(3, "decrease_reservation", 512, 0, 512, 15_872);
            tracer.memory(3, "populate_physmap", 4, 9, -12, 15_872);
        }

        assertThat(readAll(TraceFilter.ALL.withType(TraceRecordType.MEMORY))).containsExactly(
            new TraceRecord.Memory(1, T0, 3, "decrease_reservation", 512, 0, 512, 15_872),
            new TraceRecord.Memory(2, T0 + 1_000, 3, "populate_physmap", 4, 9, -12, 15_872));
        assertThat(TraceRecordType.parse("Memory")).isEqualTo(TraceRecordType.MEMORY);
    }

    @Test
    void balloonRecordsAreWrittenAtLifecycleLevelAndReadBack()
    {
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.LIFECYCLE, clock))
        {
            tracer.balloonDecision(3, "static", "FIXED_TARGET", 65_536, 65_536, 32_768, 32_768, true, "targets_kib gives 32768 KiB");
            tracer.balloonReport(3, "reached", 32_768, 32_768, 65_536, 32_768, 305, "");
        }

        assertThat(readAll(TraceFilter.ALL.withType(TraceRecordType.BALLOON_DECISION))).containsExactly(
            new TraceRecord.BalloonDecision(1, T0, 3, "static", "FIXED_TARGET", 65_536, 65_536, 32_768, 32_768, true,
                "targets_kib gives 32768 KiB"));
        assertThat(readAll(TraceFilter.ALL.withType(TraceRecordType.BALLOON_REPORT))).containsExactly(
            new TraceRecord.BalloonReport(2, T0 + 1_000, 3, "reached", 32_768, 32_768, 65_536, 32_768, 305, ""));
        assertThat(TraceRecordType.parse("balloon-report")).isEqualTo(TraceRecordType.BALLOON_REPORT);
        assertThat(TraceRecordType.parse("BALLOON_DECISION")).isEqualTo(TraceRecordType.BALLOON_DECISION);
        assertThatThrownBy(() -> TraceRecordType.parse("balloon")).hasMessageContaining("balloon-decision, balloon-report or sched");
    }

    @Test
    void schedRecordsSayWhichVcpuOverranAndWhyItsDomainWasSuspended()
    {
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.LIFECYCLE, clock))
        {
            tracer.sched(2, 0, "overrun", 21_000_000, 3, "");
            tracer.sched(2, 0, "suspended", 1_000_000_000, 3, "vcpu 0 kept its slot");
        }

        final List<TraceRecord> records = readAll(TraceFilter.ALL.withType(TraceRecordType.SCHED));
        assertThat(records).containsExactly(
            new TraceRecord.Sched(1, T0, 2, 0, "overrun", 21_000_000, 3, ""),
            new TraceRecord.Sched(2, T0 + 1_000, 2, 0, "suspended", 1_000_000_000, 3, "vcpu 0 kept its slot"));
        assertThat(TraceFormat.text(records.get(1))).endsWith(
            "dom=2 SCHED vcpu=0 event=suspended ns=1000000000 count=3 detail=\"vcpu 0 kept its slot\"");
        assertThat(TraceFormat.json(records.get(0))).contains("\"type\":\"sched\",\"vcpu\":0,\"event\":\"overrun\"");
        assertThat(TraceRecordType.parse("sched")).isEqualTo(TraceRecordType.SCHED);
    }

    @Test
    void levelsAndTypesParseAsUsersWriteThem()
    {
        assertThat(TraceLevel.parse("Hypercalls")).isEqualTo(TraceLevel.HYPERCALLS);
        assertThat(TraceRecordType.parse("fault")).isEqualTo(TraceRecordType.FAULT);
        assertThatThrownBy(() -> TraceLevel.parse("verbose")).hasMessageContaining("off, lifecycle or hypercalls");
        assertThat(TraceLevel.OFF.includes(TraceLevel.OFF)).isFalse();
        assertThat(TraceLevel.HYPERCALLS.includes(TraceLevel.LIFECYCLE)).isTrue();
        assertThat(TraceLevel.LIFECYCLE.includes(TraceLevel.HYPERCALLS)).isFalse();
        assertThat(Files.exists(runDir.resolve(TraceSchema.TRACE_DIR_NAME))).isFalse();
    }

    static void writeOneOfEach(final Tracer tracer)
    {
        tracer.hostStarted();                                            // dom 0
        tracer.domainCreated(1);
        tracer.domainStarted(1);
        tracer.domainPaused(1);
        tracer.domainUnpaused(1);
        tracer.hypercall(1, 0, "event_channel_op", "send", 0, 5_300);
        tracer.domainShutdown(1, "poweroff");
        tracer.hypercall(2, 1, "grant_table_op", "map_grant_ref", -22, 900);
        tracer.domainCrashed(2, "64 malformed hypercalls");
        tracer.guestProcessDied(2, 137);
        tracer.guestFault(2, "hypercall op 99 unknown", 64);
        tracer.domainDestroyed(2);
        tracer.hostStopped();                                            // dom 0
    }

    private static void recordHotPath(final Tracer tracer, final int i)
    {
        tracer.hypercall(1, 0, "event_channel_op", "send", 0, i);
        tracer.guestFault(1, "bad", i);
        tracer.domainPaused(i);
    }

    private static void writeHypercalls(final Tracer tracer, final CountDownLatch start, final int domid, final int count)
    {
        try
        {
            start.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < count; i++)
        {
            tracer.hypercall(domid, 0, "xen_version", "", 0, i);
        }
    }

    private List<TraceRecord> readAll(final TraceFilter filter)
    {
        try (TraceReader reader = TraceReader.openInRunDir(runDir))
        {
            return reader.read(filter);
        }
    }
}
