package org.coopvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.coopvm.cli.console.ConsoleCommand;
import org.coopvm.cli.toolstack.ToolstackFactory;
import org.coopvm.hypervisor.api.HostEndpoint;
import org.coopvm.hypervisor.api.RunDirectory;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7's "done when", as a user runs it: a real host in a background JVM and the two process
 * guests of {@code examples/domains/io-{a,b}.cfg}, each with its own disk and a vif, run
 * {@code disk-bench} and then {@code net-stream} (io-b sending to io-a) from their configs, are
 * kept after they power off, and report their figures where the README says: {@code coop console}
 * and {@code data/} in xenstore. The configs are used as shipped except for shorter runs and the
 * images' directory (this test's own). The host and every guest are killed and the directory
 * removed, also on failure.
 */
@Tag("system")
class IoGuestsSystemTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Pattern DISK = Pattern.compile(
        "disk-bench: done, \\S+ \\d+ KiB qd \\d+ on xvda: (\\d+) ops in [0-9.]+ s: (\\d+) IOPS, ([0-9.]+) MB/s, .*, (\\d+) errors");
    private static final Pattern RECEIVED = Pattern.compile("net-stream: received (\\d+) of (\\d+) frames \\((\\d+) lost\\), (\\d+) payload bytes");
    private static final Pattern SENT = Pattern.compile("net-stream: sent (\\d+) frames, (\\d+) payload bytes, ([0-9.]+) Gbit/s");

    private final List<Long> pids = new ArrayList<>();
    private final ShmDirectory root = new ShmDirectory();
    private final Path runDir = root.resolve("run");

    @BeforeEach
    void startHost()
    {
        final CoopRun start = coop("host", "start", "--hypervisor-factory", ToolstackFactory.class.getName());
        new RunDirectory(runDir).readHostEndpoint().map(HostEndpoint::pid).ifPresent(pids::add);
        assertThat(start.exitCode()).as(start.err()).isZero();
    }

    @AfterEach
    void killEverything()
    {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        root.close();
    }

    @Test
    void twoProcessGuestsWithADiskAndAVifEachRunDiskBenchAndNetStreamAndReportTheirFigures() throws Exception
    {
        create("io-a.cfg");
        create("io-b.cfg");
        awaitBothKept();

        final String a = console("io-a");
        final String b = console("io-b");
        for (final String console : List.of(a, b))
        {
            final Matcher disk = DISK.matcher(console);
            assertThat(disk.find()).as(console).isTrue();
            assertThat(Long.parseLong(disk.group(2))).as("IOPS").isPositive();
            assertThat(Double.parseDouble(disk.group(3))).as("MB/s").isPositive();
            assertThat(disk.group(4)).as("errors").isEqualTo("0");
        }
        final Matcher received = RECEIVED.matcher(a);
        final Matcher sent = SENT.matcher(b);
        assertThat(received.find()).as(a).isTrue();
        assertThat(sent.find()).as(b).isTrue();
        final long frames = Long.parseLong(received.group(1));
        assertThat(received.group(2)).as("io-a learns from the bye how many io-b sent").isEqualTo(sent.group(1));
        assertThat(frames).as("every frame sent is received or counted lost").isPositive()
            .isEqualTo(Long.parseLong(sent.group(1)) - Long.parseLong(received.group(3)));
        assertThat(Long.parseLong(received.group(4))).as("1500-byte payloads").isEqualTo(frames * 1500);
        assertThat(Double.parseDouble(sent.group(3))).as("Gbit/s").isPositive();

        assertThat(Long.parseLong(data("io-a", "disk-bench/total-iops"))).isPositive();
        assertThat(Double.parseDouble(data("io-b", "disk-bench/total-mb-s"))).isPositive();
        assertThat(data("io-a", "net-stream/total-frames")).isEqualTo(received.group(1));
        assertThat(data("io-a", "net-stream/lost-frames")).isEqualTo(received.group(3));
        assertThat(data("io-b", "net-stream/sent-frames")).isEqualTo(sent.group(1));
        final long keptNs = System.nanoTime();
        while (System.nanoTime() - keptNs < TimeUnit.SECONDS.toNanos(3))
        {
            Thread.sleep(100); // a kept guest's offline vCPUs must not show as steal in the next usage periods (1 s each)
        }
        assertThat(domains()).as("coop list: Steal(%) of guests that are shut down").extracting(domain -> domain.get("cpu"))
            .allSatisfy(cpu -> assertThat(cpu.get("stealPercent").asDouble()).isZero());

        for (final String name : List.of("io-a", "io-b"))
        {
            final CoopRun destroy = coop("destroy", name);
            assertThat(destroy.exitCode()).as(destroy.err()).isZero();
        }
        final CoopRun stop = coop("host", "stop");
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(runDir).doesNotExist();
    }

    /** Create a domain from the shipped example, with its image in this test's directory and 1 s runs. */
    private void create(final String file) throws IOException
    {
        final String shipped = Files.readString(Path.of(System.getProperty("coop.repo.root", ".."), "examples", "domains", file));
        final String config = shipped.replace("file:/dev/shm/", "file:" + root.path() + "/").replace("seconds=5", "seconds=1");
        assertThat(config).as("the example still has a disk in /dev/shm and 5 s runs").isNotEqualTo(shipped);
        final Path copy = Files.writeString(root.resolve(file), config);
        final CoopRun create = coop("create", copy.toString());
        assertThat(create.exitCode()).as(create.err()).isZero();
        domains().forEach(domain -> pids.add(domain.get("pid").asLong()));
    }

    /** Both guests powered off and kept ({@code on_poweroff = "preserve"}): state SHUTDOWN, reason poweroff. */
    private void awaitBothKept() throws InterruptedException
    {
        final long endNs = System.nanoTime() + DEADLINE.toNanos();
        while (domains().stream().filter(domain -> "SHUTDOWN".equals(domain.get("state").asText())).count() < 2)
        {
            assertThat(System.nanoTime() - endNs).as("both guests done within %s: %s, %s", DEADLINE, consoleSoFar("io-a"),
                consoleSoFar("io-b")).isNegative();
            Thread.sleep(200);
        }
        assertThat(domains()).extracting(domain -> domain.get("shutdownReason").asText()).containsOnly("POWEROFF");
    }

    /** {@code coop console NAME} with stdin at its end: the whole log, then it detaches. */
    private String console(final String name)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine coop = Coop.commandLine();
        coop.setOut(new PrintWriter(out, true));
        coop.setErr(new PrintWriter(err, true));
        ((ConsoleCommand)coop.getSubcommands().get("console").getCommand()).input(InputStream.nullInputStream());
        assertThat(coop.execute("--run-dir", runDir.toString(), "console", name)).as(err.toString()).isZero();
        return out.toString();
    }

    private String consoleSoFar(final String name)
    {
        try
        {
            return console(name);
        }
        catch (final AssertionError ex)
        {
            return name + ": " + ex.getMessage();
        }
    }

    private String data(final String name, final String key)
    {
        final int domid = domains().stream().filter(domain -> name.equals(domain.get("name").asText())).findFirst()
            .orElseThrow(() -> new AssertionError("no domain " + name)).get("domid").asInt();
        final CoopRun read = coop("xenstore", "read", "/local/domain/" + domid + "/data/" + key);
        assertThat(read.exitCode()).as(read.err()).isZero();
        return read.out().strip();
    }

    private List<JsonNode> domains()
    {
        final CoopRun list = coop("list", "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        return list.jsonArray();
    }

    private CoopRun coop(final String... args)
    {
        return CoopRun.in(runDir, args);
    }
}
