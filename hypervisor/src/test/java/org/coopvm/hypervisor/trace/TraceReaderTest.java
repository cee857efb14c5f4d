package org.coopvm.hypervisor.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReaderTest
{
    /** Chronicle's JVM-wide daemon threads: started once per JVM, never per queue. */
    private static final Set<String> CHRONICLE_JVM_THREADS =
        Set.of("background~resource~releaser", "disk~space~checker", "process reaper");

    @TempDir
    Path runDir;

    @Test
    void saysClearlyWhenThereIsNoTraceDirectory()
    {
        assertThatThrownBy(() -> TraceReader.openInRunDir(runDir))
            .isInstanceOf(TraceNotFoundException.class)
            .hasMessageContaining("no trace at " + runDir.resolve("trace"))
            .hasMessageContaining("does not exist");
    }

    @Test
    void saysClearlyWhenTheTraceDirectoryHoldsNoQueue() throws IOException
    {
        Files.createDirectories(runDir.resolve("trace"));
        assertThatThrownBy(() -> TraceReader.openInRunDir(runDir))
            .isInstanceOf(TraceNotFoundException.class)
            .hasMessageContaining("holds no queue file");
        assertThat(runDir.resolve("trace")).isEmptyDirectory();
    }

    @Test
    void readsWhatARunningHostHasWrittenSoFar()
    {
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.LIFECYCLE, System::currentTimeMillis))
        {
            tracer.hostStarted();
            tracer.domainCreated(1);
            try (TraceReader reader = TraceReader.openInRunDir(runDir))
            {
                assertThat(reader.read(TraceFilter.ALL)).hasSize(2);
            }
            tracer.domainStarted(1);
            try (TraceReader reader = TraceReader.openInRunDir(runDir))
            {
                assertThat(reader.read(TraceFilter.ALL)).extracting(TraceRecord::seq).containsExactly(1L, 2L, 3L);
            }
        }
    }

    @Test
    void readsAQueueWrittenByAnotherJvm() throws Exception
    {
        final Path queueDir = runDir.resolve("trace");
        final Process child = startWriter(queueDir, true);
        assertThat(exitCode(child)).as(stderr()).isZero();

        final long t0 = TraceWriterMain.START_NS;
        try (TraceReader reader = TraceReader.open(queueDir))
        {
            assertThat(reader.read(TraceFilter.ALL)).containsExactly(
                new TraceRecord.Lifecycle(1, t0, 0, LifecycleEvent.HOST_STARTED, 0, ""),
                new TraceRecord.Lifecycle(2, t0 + 1, 5, LifecycleEvent.DOMAIN_CREATED, 0, ""),
                new TraceRecord.Hypercall(3, t0 + 2, 5, 0, "sched_op", "yield", 0, 1_200),
                new TraceRecord.Lifecycle(4, t0 + 3, 5, LifecycleEvent.GUEST_PROCESS_DIED, 137, ""),
                new TraceRecord.Lifecycle(5, t0 + 4, 0, LifecycleEvent.HOST_STOPPED, 0, ""));
        }
    }

    @Test
    void aJvmStartedWithoutTheAnalyticsFlagRefusesAndCreatesNothing() throws Exception
    {
        final Path queueDir = runDir.resolve("trace");
        final Process child = startWriter(queueDir, false);
        assertThat(exitCode(child)).isEqualTo(2);
        assertThat(stderr()).contains("refusing to open the trace queue").contains("chronicle.analytics.disable=true");
        assertThat(queueDir).doesNotExist();
    }

    @Test
    void closingLeavesNoQueueThreadsBehind()
    {
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        try (Tracer tracer = Tracer.openInRunDir(runDir, TraceLevel.HYPERCALLS, System::nanoTime))
        {
            TracerTest.writeOneOfEach(tracer);
        }
        try (TraceReader reader = TraceReader.openInRunDir(runDir))
        {
            assertThat(reader.read(TraceFilter.ALL)).hasSize(13);
        }

        final List<String> lingering = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (!before.contains(thread) && thread.isAlive() && !isChronicleJvmThread(thread))
            {
                lingering.add(thread.getName() + (thread.isDaemon() ? " (daemon)" : ""));
            }
        }
        assertThat(lingering).as("threads started by the trace and still alive after close").isEmpty();
    }

    private static boolean isChronicleJvmThread(final Thread thread)
    {
        final String name = thread.getName();
        return thread.isDaemon() && CHRONICLE_JVM_THREADS.stream().anyMatch(name::endsWith);
    }

    private Process startWriter(final Path queueDir, final boolean withJvmOptions) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        if (withJvmOptions)
        {
            command.add("@" + System.getProperty("coop.jvm.options.file"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TraceWriterMain.class.getName(), queueDir.toString()));
        return new ProcessBuilder(command)
            .redirectOutput(runDir.resolve("child.out").toFile())
            .redirectError(runDir.resolve("child.err").toFile())
            .start();
    }

    private static int exitCode(final Process child) throws InterruptedException
    {
        try
        {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished within 60 s").isTrue();
            return child.exitValue();
        }
        finally
        {
            child.destroyForcibly();
        }
    }

    private String stderr()
    {
        try
        {
            return Files.readString(runDir.resolve("child.err"));
        }
        catch (final IOException ex)
        {
            return "(no stderr: " + ex + ")";
        }
    }}
