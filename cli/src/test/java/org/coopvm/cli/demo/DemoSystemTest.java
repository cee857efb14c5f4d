package org.coopvm.cli.demo;

import org.coopvm.cli.Coop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code coop demo} as the README runs it: its own JVM (the JVM flags of {@code jvm.options}, the
 * cli's class path, output to a file, so not a terminal). It must print the live view and the
 * summary, apply balloon decisions that reach their targets, exit 0, and leave no guest process
 * and no run directory; and on SIGTERM (what Ctrl-C's SIGINT also triggers: the shutdown hook)
 * it must clean up the same way. Every wait has a deadline; the demo and anything it started are
 * killed in {@code @AfterEach}.
 */
@Tag("system")
class DemoSystemTest
{
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(60);
    private static final Pattern RUN_DIR = Pattern.compile("a private host in (\\S+) \\(");

    private final List<Process> demos = new ArrayList<>();
    private Path output;

    @BeforeEach
    void makeOutputFile() throws IOException
    {
        output = Files.createTempFile("coop-demo-test-", ".out");
    }

    @AfterEach
    void killEverything() throws IOException
    {
        for (final Process demo : demos)
        {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
        Files.deleteIfExists(output);
    }

    @Test
    void aShortDemoShowsTheTableAndSummaryMovesMemoryAndLeavesNothingBehind() throws Exception
    {
        final Process demo = start("demo", "--duration", "15", "--interval", "1");

        assertThat(demo.waitFor(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("demo finished in time: " + text()).isTrue();
        final String text = text();
        assertThat(demo.exitValue()).as(text).isZero();
        assertThat(text).contains("coop demo: created cache", "coop demo: created hog", "coop demo: created idle")
            .containsPattern("\\[ *\\d+ s\\] host: policy mom")
            .containsPattern("\\[ *\\d+ s\\] cache: mem \\d+\\.\\d MiB, target \\d+\\.\\d MiB, free \\d+\\.\\d MiB, hit ratio \\d+\\.\\d%")
            .containsPattern("\\[ *\\d+ s\\] hog: mem ")
            .containsPattern("\\[ *\\d+ s\\] idle: mem ")
            .contains("Summary after ");
        assertThat(count(text, "(\\d+) targets changed")).as("policy decisions applied, in: " + text).isPositive();
        assertThat(count(text, "(\\d+) reached")).as("balloon changes that reached their target, in: " + text).isPositive();
        assertNothingLeft(text);
    }

    @Test
    void sigtermStopsTheDemoAndItStillLeavesNothingBehind() throws Exception
    {
        final Process demo = start("demo", "--duration", "600", "--interval", "1");
        await().atMost(RUN_DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> text().contains("] idle: mem "));

        demo.destroy();

        assertThat(demo.waitFor(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("demo exited on SIGTERM: " + text()).isTrue();
        assertThat(text()).contains("coop demo: stopped every guest and the host");
        assertNothingLeft(text());
    }

    private void assertNothingLeft(final String text)
    {
        final Matcher matcher = RUN_DIR.matcher(text);
        assertThat(matcher.find()).as("run directory named in: " + text).isTrue();
        final Path runDir = Path.of(matcher.group(1));
        assertThat(runDir).as("run directory").doesNotExist();
        assertThat(processesMentioning(runDir.toString())).as("processes left").isEmpty();
    }

    private static long count(final String text, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static List<String> processesMentioning(final String runDir)
    {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
            .map(process -> process.info().commandLine())
            .flatMap(Optional::stream)
            .filter(commandLine -> commandLine.contains(runDir))
            .toList();
    }

    private Process start(final String... args) throws IOException
    {
        final String options = System.getProperty("coop.jvm.options.file");
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "@" + options,
            "-Dcoop.jvm.options.file=" + options, "-cp", System.getProperty("java.class.path"), Coop.class.getName()));
        command.addAll(List.of(args));
        final Process demo = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        demos.add(demo);
        return demo;
    }

    private String text() throws IOException
    {
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
