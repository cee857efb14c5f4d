package org.coopvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.coopvm.cli.toolstack.ToolstackFactory;
import org.coopvm.hypervisor.api.HostEndpoint;
import org.coopvm.hypervisor.api.RunDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end flow, as a user runs it: a real host in a background JVM, two process
 * guests from {@code examples/domains/pingpong-{a,b}.cfg} exchanging 100,000 checked messages,
 * {@code list} showing them, a guest killed with {@code kill -9} detected and cleaned up (also
 * over repeated cycles, checked in the host's {@code /proc} entries), a process guest's xenstore
 * watch seeing dom0's {@code memory/target} write and {@code coop shutdown -w} going through
 * {@code control/shutdown} to a clean guest exit, Xen's own {@code xenstore-ls}, {@code xenstore-write},
 * {@code xenstore-read} and {@code xenstore-watch} administering two running guests, a
 * {@code memory/target} write ({@code coop xenstore write}, then Xen's {@code xenstore-write})
 * moving a process guest's reservation through its balloon driver, and {@code host stop}
 * leaving no process and no file. Every wait has a deadline; the host and
 * every guest are killed and the run directory removed, also on failure.
 */
@Tag("system")
class HostSystemTest
{
    private static final Duration PINGPONG_DEADLINE = Duration.ofMinutes(3);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Create-and-kill cycles of process guests (each starts a JVM: kept small for 2 cores). */
    private static final int KILL_CYCLES = 10;

    private final List<Long> pids = new ArrayList<>();
    private Path runDir;

    @BeforeEach
    void startHost() throws IOException
    {
        runDir = Files.createTempDirectory(Path.of("/dev/shm"), "coop-system-").resolve("run");
        final CoopRun start = coop("host", "start", "--hypervisor-factory", ToolstackFactory.class.getName());
        new RunDirectory(runDir).readHostEndpoint().map(HostEndpoint::pid).ifPresent(pids::add);
        assertThat(start.exitCode()).as(start.err()).isZero();
    }

    @AfterEach
    void killEverything() throws IOException
    {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        deleteTree(runDir.getParent());
    }

    @Test
    void twoProcessGuestsPingPongAndAKilledGuestIsCleanedUp() throws Exception
    {
        createFromExample("pingpong-a.cfg");
        createFromExample("pingpong-b.cfg");

        final CoopRun list = coop("list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.outLines()).anySatisfy(line -> assertThat(CoopRun.columns(line)).startsWith("pingpong-a", "1", "64", "1"))
            .anySatisfy(line -> assertThat(CoopRun.columns(line)).startsWith("pingpong-b", "2", "64", "1"));

        await(PINGPONG_DEADLINE, () -> domains().isEmpty());
        assertThat(console(1)).contains("pingpong pong: done, answered 100000 messages");
        assertThat(console(2)).contains("pingpong ping: done, 100000 messages, 0 checksum errors");
        assertThat(trace()).contains("dom=1 LIFECYCLE event=domain_shutdown reason=\"poweroff")
            .contains("dom=2 LIFECYCLE event=domain_destroyed");

        createFromExample("idle.cfg");
        final long guestPid = domains().get(0).get("pid").asLong();
        ProcessHandle.of(guestPid).orElseThrow().destroyForcibly();
        await(DEADLINE, () -> domains().isEmpty());
        assertThat(trace()).contains("dom=3 LIFECYCLE event=guest_process_died exit_code=137")
            .contains("dom=3 LIFECYCLE event=domain_shutdown reason=\"crash: guest exited with code 137");
        assertThat(runDir.resolve("dom3")).doesNotExist();

        stopHostAndCheckNothingIsLeft();
    }

    @Test
    void aProcessGuestsWatchSeesDom0WriteMemoryTargetAndShutdownGoesThroughControlShutdown() throws Exception
    {
        createFromExample("xenstore-watch.cfg");
        final int domid = domains().get(0).get("domid").asInt();
        await(DEADLINE, () -> consoleSoFar(domid).contains("xenstore-watch: dom" + domid + " watches memory/target"));

        final CoopRun write = coop("xenstore", "write", "/local/domain/" + domid + "/memory/target", "262144");

        assertThat(write.exitCode()).as(write.err()).isZero();
        await(DEADLINE, () -> consoleSoFar(domid).contains("xenstore-watch: memory/target = 262144"));

        final CoopRun shutdown = coop("shutdown", "-w", "xenstore-watch");

        assertThat(shutdown.exitCode()).as(shutdown.err()).isZero();
        assertThat(shutdown.outLines()).last().isEqualTo("Domain " + domid + " is gone");
        assertThat(domains()).isEmpty();
        assertThat(console(domid)).contains("shutdown: control/shutdown = poweroff: shutting down (poweroff)");
        assertThat(trace()).contains("dom=" + domid + " LIFECYCLE event=shutdown_requested detail=\"control/shutdown=poweroff\"")
            .contains("dom=" + domid + " LIFECYCLE event=domain_shutdown reason=\"poweroff: guest requested shutdown\"")
            .doesNotContain("dom=" + domid + " LIFECYCLE event=guest_process_died");
        assertThat(Files.readString(runDir.resolve("logs").resolve("dom" + domid + ".log")))
            .contains("dom" + domid + ": kernel stopped: SHUTDOWN shutdown poweroff; exit status 0");

        stopHostAndCheckNothingIsLeft();
    }

    /** Issue 4's Done-when, with Xen's own tools ({@code xenstore-utils}, installed by {@code .ci/run}). */
    @Test
    void xensOwnToolsAdministerARunningHostWithTwoGuests() throws Exception
    {
        assertThat(Path.of("/usr/bin/xenstore-ls")).as("Debian package xenstore-utils (.ci/run installs it)").isExecutable();
        createFromExample("xenstore-watch.cfg");
        createFromExample("idle.cfg");
        final int watcher = domid("xenstore-watch");
        final int idle = domid("idle");
        await(DEADLINE, () -> consoleSoFar(watcher).contains("xenstore-watch: dom" + watcher + " watches memory/target"));

        assertThat(xenTool("xenstore-ls", "/local/domain")).contains("name = \"xenstore-watch\"", "name = \"idle\"")
            .contains("static-max = \"16384\"", "static-max = \"65536\"");

        final Process events = xenToolProcess("xenstore-watch", "-n", "2", "/local/domain/" + idle + "/data");
        try
        {
            await(DEADLINE, () -> xenTool("xenstore-write", "/local/domain/" + idle + "/data/seen", "yes").isEmpty() &&
                !events.isAlive());
            assertThat(new String(events.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .as("fires once when set, then on the write").contains("/local/domain/" + idle + "/data/seen");
        }
        finally
        {
            events.destroyForcibly();
        }

        assertThat(xenTool("xenstore-write", "/local/domain/" + watcher + "/memory/target", "262144")).isEmpty();
        await(DEADLINE, () -> consoleSoFar(watcher).contains("xenstore-watch: memory/target = 262144"));
        assertThat(xenTool("xenstore-read", "/local/domain/" + watcher + "/memory/target")).isEqualTo("262144\n");

        stopHostAndCheckNothingIsLeft();
    }

    @Test
    void xenstoreWriteOfMemoryTargetMovesAProcessGuestsReservation() throws Exception
    {
        createFromExample("idle.cfg");
        final int domid = domid("idle");
        await(DEADLINE, () -> consoleSoFar(domid).contains("balloon: driver started: holding 65536 KiB"));

        final CoopRun write = coop("xenstore", "write", "/local/domain/" + domid + "/memory/target", "32768");

        assertThat(write.exitCode()).as(write.err()).isZero();
        await(DEADLINE, () -> domains().get(0).get("memoryKib").asLong() == 32768);
        await(DEADLINE, () -> consoleSoFar(domid).contains("balloon: reached 32768 KiB after "));
        assertThat(xenTool("xenstore-write", "/local/domain/" + domid + "/memory/target", "65536")).isEmpty();
        await(DEADLINE, () -> domains().get(0).get("memoryKib").asLong() == 65536);
        await(DEADLINE, () -> consoleSoFar(domid).contains("balloon: reached 65536 KiB after "));

        stopHostAndCheckNothingIsLeft();
    }

    @Test
    void inProcessGuestsPingPongInsideTheHost() throws Exception
    {
        final Path configs = runDir.getParent();
        create(Files.writeString(configs.resolve("pong.cfg"), inProcessPingPong("pong", "pong")));
        create(Files.writeString(configs.resolve("ping.cfg"), inProcessPingPong("ping", "ping")));
        assertThat(domains()).extracting(domain -> domain.get("pid").asLong()).containsOnly(-1L);

        await(PINGPONG_DEADLINE, () -> domains().isEmpty());
        assertThat(console(2)).contains("pingpong ping: done, 10000 messages, 0 checksum errors");

        stopHostAndCheckNothingIsLeft();
    }

    @Test
    void killedProcessGuestsLeaveNoMappingDescriptorOrFileInTheHost() throws Exception
    {
        final long hostPid = pids.get(0);
        createFromExample("idle.cfg");
        killOnlyGuest();
        final long mappingsBefore = fileMappings(hostPid);
        final long descriptorsBefore = entries(Path.of("/proc", Long.toString(hostPid), "fd"));

        for (int cycle = 0; cycle < KILL_CYCLES; cycle++)
        {
            createFromExample("idle.cfg");
            killOnlyGuest();
        }

        assertThat(fileMappings(hostPid)).as("host file mappings").isLessThanOrEqualTo(mappingsBefore + 8);
        assertThat(entries(Path.of("/proc", Long.toString(hostPid), "fd"))).as("host descriptors").isLessThanOrEqualTo(descriptorsBefore + 4);
        try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(hostPid), "maps")))
        {
            assertThat(maps.filter(line -> line.contains(runDir.toString() + "/dom"))).as("domain files still mapped").isEmpty();
        }
        try (Stream<Path> entries = Files.list(runDir))
        {
            assertThat(entries.map(path -> path.getFileName().toString())).noneMatch(name -> name.matches("dom[0-9]+"));
        }
        stopHostAndCheckNothingIsLeft();
    }

    private void killOnlyGuest() throws InterruptedException
    {
        final long guestPid = domains().get(0).get("pid").asLong();
        ProcessHandle.of(guestPid).orElseThrow().destroyForcibly();
        await(DEADLINE, () -> domains().isEmpty());
    }

    /**
     * Mappings of files: a process guest's regions are files, so a leaked one shows here; anonymous
     * mappings also move with the JVM's heap and malloc arenas, which is not what this test is about.
     */
    private static long fileMappings(final long pid) throws IOException
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps")))
        {
            return lines.filter(line -> line.trim().split("\\s+").length >= 6).count();
        }
    }

    private static long lines(final Path file) throws IOException
    {
        try (Stream<String> lines = Files.lines(file))
        {
            return lines.count();
        }
    }

    private static long entries(final Path dir) throws IOException
    {
        try (Stream<Path> entries = Files.list(dir))
        {
            return entries.count();
        }
    }

    private void stopHostAndCheckNothingIsLeft()
    {
        final CoopRun stop = coop("host", "stop");
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(runDir).doesNotExist();
        for (final long pid : pids)
        {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process %d", pid).isNotEqualTo(Optional.of(true));
        }
    }

    private static String inProcessPingPong(final String name, final String role)
    {
        return "name = \"" + name + "\"\nmemory = 16\nworkload = \"pingpong\"\nisolation = \"in-process\"\n" +
            "workload_args = [ \"role=" + role + "\", \"channel=inproc\", \"messages=10000\" ]\n";
    }

    private void createFromExample(final String file)
    {
        create(Path.of(System.getProperty("coop.repo.root", ".."), "examples", "domains", file));
    }

    private void create(final Path config)
    {
        final CoopRun create = coop("create", config.toString());
        assertThat(create.exitCode()).as(create.err()).isZero();
        domains().forEach(domain -> pids.add(domain.get("pid").asLong()));
    }

    private int domid(final String name)
    {
        return domains().stream().filter(domain -> name.equals(domain.get("name").asText())).findFirst()
            .orElseThrow(() -> new AssertionError("no domain " + name)).get("domid").asInt();
    }

    /** Run one of Xen's xenstore tools against this host's socket; its stdout (stderr fails the test). */
    private String xenTool(final String... command)
    {
        try
        {
            final Process process = xenToolProcess(command);
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
            assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), new String(process.getErrorStream().readAllBytes(),
                StandardCharsets.UTF_8)).isZero();
            return out;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private Process xenToolProcess(final String... command) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("XENSTORED_PATH", runDir.resolve("xenstored.sock").toString());
        return builder.start();
    }

    private List<JsonNode> domains()
    {
        final CoopRun list = coop("list", "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        return list.jsonArray();
    }

    private String console(final int domid) throws IOException
    {
        return Files.readString(runDir.resolve("console").resolve("dom" + domid + ".log"));
    }

    private String consoleSoFar(final int domid)
    {
        try
        {
            return console(domid);
        }
        catch (final IOException ex)
        {
            return ""; // not written yet
        }
    }

    private String trace()
    {
        final CoopRun dump = coop("trace", "dump");
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        return dump.out();
    }

    private CoopRun coop(final String... args)
    {
        return CoopRun.in(runDir, args);
    }

    private void await(final Duration deadline, final BooleanSupplier condition) throws InterruptedException
    {
        final long endNs = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - endNs >= 0)
            {
                throw new AssertionError("condition not met within " + deadline + "; the host's view:\n" + hostState());
            }
            Thread.sleep(100);
        }
    }

    /** @return what a user would look at when a guest does not do what it was asked: the domains, the trace's tail, the guests' logs. */
    private String hostState()
    {
        final StringBuilder state = new StringBuilder();
        final CoopRun list = coop("list");
        state.append(list.out()).append(list.err());
        final List<String> trace = coop("trace", "dump").out().lines().toList();
        trace.subList(Math.max(0, trace.size() - 60), trace.size()).forEach(line -> state.append(line).append('\n'));
        appendTails(state, runDir.resolve("logs"));
        appendTails(state, runDir.resolve("console"));
        return state.toString();
    }

    private static void appendTails(final StringBuilder state, final Path dir)
    {
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty())
        {
            for (final Path file : files.toList())
            {
                final List<String> lines = Files.readAllLines(file);
                state.append("== ").append(dir.getFileName()).append('/').append(file.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(line -> state.append(line).append('\n'));
            }
        }
        catch (final IOException ex)
        {
            state.append("(").append(dir).append(" unreadable: ").append(ex).append(")\n");
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (root != null && Files.exists(root))
        {
            try (Stream<Path> paths = Files.walk(root))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
