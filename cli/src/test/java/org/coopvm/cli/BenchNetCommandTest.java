package org.coopvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.coopvm.perf.RunDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code coop bench net --quick} end to end, as a user runs it: process guests stream and play
 * ping-pong through the real net backend and switch, memcpy and the raw ring are measured next to
 * them, the table shows a positive figure and a ratio on every row and the goal judged, the JSON
 * holds the six figures, and no guest or ring JVM and no file under the run directory is left.
 * The run is bounded by the benchmark's own timeouts and the test's; JVMs this test leaves are
 * killed and the run directory removed, also on failure. It checks that the benchmark works, not
 * how fast the network is.
 */
@Tag("system")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BenchNetCommandTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path base;
    private Set<Long> childrenBefore;

    @BeforeEach
    void makeBase() throws IOException
    {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "coop-benchnet-test-");
        childrenBefore = children();
    }

    @AfterEach
    void removeBaseAndChildren()
    {
        ProcessHandle.current().children().filter(child -> !childrenBefore.contains(child.pid())).forEach(child ->
        {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        });
        RunDirs.deleteTree(base);
    }

    @Test
    void quickRunMeasuresEveryRowBetweenProcessGuestsAndLeavesNothingBehind() throws IOException
    {
        final Path json = base.resolve("out").resolve("net.json");
        final Path runDir = base.resolve("run");

        final CoopRun run = CoopRun.of("bench", "net", "--quick", "--out=" + json, "--run-dir=" + runDir);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertPositiveRow(run, "netfront/netback/switch stream, 1500-byte payloads (ours)", 2);
        assertPositiveRow(run, "memcpy of 1500-byte frames, one thread", 1);
        assertPositiveRow(run, "netfront/netback/switch round trip, 60-byte frames (ours)", 4);
        assertPositiveRow(run, "Xen ring, two processes, spin then sleep (raw ring)", 2);
        assertThat(run.out()).contains("Goals (issue 7)", ">= 10.0 Gbit/s", "load average");
        final JsonNode figures = JSON.readTree(json.toFile()).get("figures");
        assertThat(figures).hasSize(6).allSatisfy(figure -> assertThat(figure.get("value").asDouble()).as(figure.toString()).isPositive());
        try (Stream<Path> left = Files.list(runDir))
        {
            assertThat(left).as("run directories, guest files, ring files, logs").isEmpty();
        }
        assertThat(children()).as("guest and ring JVMs").isEqualTo(childrenBefore);
    }

    /** A table row shows {@code numbers} figures and ratios, each positive. */
    private static void assertPositiveRow(final CoopRun run, final String label, final int numbers)
    {
        assertThat(row(run, label)).as(label + " in%n%s", run.out()).hasSize(numbers)
            .allSatisfy(value -> assertThat(value).as(label + " in%n%s", run.out()).isPositive());
    }

    /** @return the numbers after a row's label: its figures and ratios ({@code "0.52, 1.30"} gives two). */
    private static List<Double> row(final CoopRun run, final String label)
    {
        final String line = run.outLines().stream().filter(l -> l.strip().startsWith(label)).findFirst()
            .orElseThrow(() -> new AssertionError("no row " + label + " in\n" + run.out()));
        return Stream.of(line.strip().substring(label.length()).split("[\\s,]+")).filter(s -> !s.isEmpty()).map(Double::parseDouble)
            .toList();
    }

    private static Set<Long> children()
    {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
