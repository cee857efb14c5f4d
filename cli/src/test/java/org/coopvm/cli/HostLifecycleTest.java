package org.coopvm.cli;

import org.coopvm.hypervisor.api.HostEndpoint;
import org.coopvm.hypervisor.api.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HostLifecycleTest
{
    private static final String FACTORY = InMemoryHostControlFactory.class.getName();

    @TempDir
    private Path tmp;

    @Test
    void backgroundHostStartsServesAndStopsLeavingNothingBehind() throws Exception
    {
        final Path runDir = tmp.resolve("run");
        final Path hostCfg = Files.writeString(tmp.resolve("host.cfg"), "pool_mib = 2048\ntrace_level = \"off\"\n");
        final Path webCfg = Files.writeString(tmp.resolve("web.cfg"), "name = \"web\"\nmemory = 64\nworkload = \"idle\"\n");
        Optional<HostEndpoint> host = Optional.empty();
        try
        {
            final CoopRun start = CoopRun.of("host", "start", "--run-dir", runDir.toString(), "--config", hostCfg.toString(),
                "--pool-mib", "512", "--hypervisor-factory", FACTORY);
            host = new RunDirectory(runDir).readHostEndpoint();

            assertThat(start.exitCode()).as(start.err()).isZero();
            assertThat(host).isPresent();
            assertThat(start.out()).isEqualTo("CoopVM host started: pid " + host.get().pid() + ", API 127.0.0.1:" +
                host.get().port() + ", run dir " + runDir + "\n");
            assertThat(host.get().pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(CoopRun.of("--run-dir", runDir.toString(), "create", webCfg.toString()).exitCode()).isZero();
            assertThat(CoopRun.of("--run-dir", runDir.toString(), "info").out()).contains("total_memory    : 512 MiB");

            final CoopRun second = CoopRun.of("host", "start", "--run-dir", runDir.toString(), "--hypervisor-factory", FACTORY);
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.err()).contains("a CoopVM host is already running at " + runDir + " (pid " + host.get().pid());

            final CoopRun stop = CoopRun.of("host", "stop", "--run-dir", runDir.toString());
            assertThat(stop.exitCode()).as(stop.err()).isZero();
            assertThat(stop.out()).isEqualTo("CoopVM host stopped (pid " + host.get().pid() + ")\n");
            assertThat(ProcessHandle.of(host.get().pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            assertThat(runDir).doesNotExist();
        }
        finally
        {
            host.flatMap(h -> ProcessHandle.of(h.pid())).ifPresent(HostLifecycleTest::kill);
        }
    }

    @Test
    void sigtermStopsTheHostAndRemovesItsRunDir() throws Exception
    {
        final Path runDir = tmp.resolve("run");
        Optional<ProcessHandle> host = Optional.empty();
        try
        {
            assertThat(CoopRun.of("host", "start", "--run-dir", runDir.toString(), "--hypervisor-factory", FACTORY).exitCode()).isZero();
            host = new RunDirectory(runDir).readHostEndpoint().flatMap(h -> ProcessHandle.of(h.pid()));
            assertThat(host).isPresent();

            host.get().destroy();
            host.get().onExit().get(30, TimeUnit.SECONDS);

            assertThat(runDir).doesNotExist();
        }
        finally
        {
            host.ifPresent(HostLifecycleTest::kill);
        }
    }

    @Test
    void aHostThatFailsToStartIsReportedWithItsLogAndLeavesNothing()
    {
        final Path runDir = tmp.resolve("run");

        final CoopRun run = CoopRun.of("host", "start", "--run-dir", runDir.toString(),
            "--hypervisor-factory", FailingHostControlFactory.class.getName());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("coop host start: the host exited with code 1 before its API came up; host.log ends with:")
            .contains("coop-host: " + FailingHostControlFactory.FAILURE);
        assertThat(runDir).doesNotExist();
    }

    @Test
    void badHostSettingsFailBeforeAnythingIsStarted()
    {
        final Path runDir = tmp.resolve("run");

        final CoopRun run = CoopRun.of("host", "start", "--run-dir", runDir.toString(), "--trace-level", "loud",
            "--hypervisor-factory", FACTORY);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("trace_level = \"loud\" is not allowed: use one of \"off\", \"lifecycle\", \"hypercalls\"");
        assertThat(runDir).doesNotExist();
    }

    @Test
    void aBadBalloonPolicyInTheHostFileFailsNamingTheFileLineAndKeyBeforeAnythingIsStarted() throws Exception
    {
        final Path runDir = tmp.resolve("run");
        final Path badArgs = Files.writeString(tmp.resolve("args.cfg"),
            "pool_mib = 512\nballoon_policy = \"mom\"\nballoon_policy_args = [ \"pressure_threshold=2\" ]\n");
        final Path badName = Files.writeString(tmp.resolve("name.cfg"), "balloon_policy = \"greedy\"\n");

        final CoopRun args = CoopRun.of("host", "start", "--run-dir", runDir.toString(), "--config", badArgs.toString(),
            "--hypervisor-factory", FACTORY);
        final CoopRun name = CoopRun.of("host", "start", "--run-dir", runDir.toString(), "--config", badName.toString(),
            "--hypervisor-factory", FACTORY);

        assertThat(args.exitCode()).isEqualTo(1);
        assertThat(args.err()).isEqualTo("coop host start: " + badArgs + ":3: balloon_policy_args: pressure_threshold: 2 outside " +
            "[0.0, 1.0]\n");
        assertThat(name.exitCode()).isEqualTo(1);
        assertThat(name.err()).startsWith("coop host start: " + badName + ":1: balloon_policy: unknown balloon policy 'greedy'; known: ");
        assertThat(runDir).doesNotExist();
    }

    @Test
    void aHostWithoutAHypervisorIsAClearError()
    {
        final Path runDir = tmp.resolve("run");

        final CoopRun run = CoopRun.of("host", "start", "--foreground", "--run-dir", runDir.toString(),
            "--hypervisor-factory", "org.example.NoSuchHypervisor");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("coop host start: hypervisor org.example.NoSuchHypervisor is not on the class path (found: [")
            .contains(FACTORY);
        assertThat(runDir).doesNotExist();
    }

    @Test
    void stoppingWhenNoHostRunsSaysSo()
    {
        final CoopRun run = CoopRun.of("host", "stop", "--run-dir", tmp.resolve("none").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("coop host stop: no CoopVM host running at");
    }

    private static void kill(final ProcessHandle process)
    {
        process.destroyForcibly();
        try
        {
            process.onExit().get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("host pid " + process.pid() + " survived kill", ex);
        }
    }
}
