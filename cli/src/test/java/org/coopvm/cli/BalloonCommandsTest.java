package org.coopvm.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.coopvm.cli.toolstack.ToolstackFactory;
import org.coopvm.hypervisor.api.ConvergenceOutcome;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.ManagementClient;
import org.coopvm.hypervisor.api.ManagementServer;
import org.coopvm.hypervisor.api.RunDirectory;
import org.coopvm.hypervisor.config.ConvergenceConfig;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.trace.TraceLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.cli.CoopRun.columns;

/**
 * {@code coop mem-set}, {@code coop mem-max} and {@code coop balloon-policy} against a real host
 * (the toolstack with in-process idle guests, behind the management API), and the convergence
 * report of each change in {@code coop list}, the API, xenstore and the trace. The changes chosen
 * end the same way whether or not the guest runs a balloon driver: the domain is already at the
 * clamped target, or the write is refused or ignored.
 */
class BalloonCommandsTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private Path root;
    private Path runDir;
    private RunDirectory dir;
    private PrometheusMeterRegistry registry;
    private HostControl host;
    private ManagementServer server;

    @BeforeEach
    void start() throws IOException
    {
        root = Files.createTempDirectory(Path.of("/dev/shm"), "coop-balloon-cli-");
        runDir = root.resolve("run");
        dir = new RunDirectory(runDir);
        dir.claim();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        host = new ToolstackFactory().create(new HostConfig(256, 2, runDir, 0, HostConfig.LOOPBACK, TraceLevel.LIFECYCLE)
            .withConvergence(new ConvergenceConfig(20, 2_000, 5_000)), registry);
        server = ManagementServer.start(host, dir, 0, registry, () -> { });
        create("web", "memory = 16\nmaxmem = 32\nminmem = 16\n");
        create("db", "memory = 16\n");
    }

    @AfterEach
    void stop() throws IOException
    {
        server.close();
        host.stop();
        registry.close();
        dir.remove();
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void memSetBelowMinmemIsHeldAtTheFloorAndTheReportShowsInListTheApiXenstoreAndTheTrace() throws Exception
    {
        final CoopRun set = coop("mem-set", "web", "8m");

        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.outLines()).containsExactly("Memory target of web set to 8192 KiB",
            "note: that is below its minmem 16384 KiB: the domain is held at its floor (the report says below_floor)");
        await().atMost(DEADLINE).until(() -> balloonColumn("web").startsWith("below-floor:"));
        assertThat(coop("list").outLines().getFirst()).endsWith("Resident Balloon      Swap(MiB)");
        assertThat(balloonColumn("db")).isEqualTo("-");
        assertThat(coop("xenstore", "read", "/local/domain/1/memory/balloon-report").out())
            .startsWith("seq=1 outcome=below_floor requested_kib=8192 effective_kib=16384 start_kib=16384 current_kib=16384 ");
        final DomainInfo web = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
            .readValue(coop("list", "--json", "web").out(), DomainInfo[].class)[0];
        assertThat(web.balloon().targetKib()).isEqualTo(8192);
        assertThat(web.balloon().lastReport().outcome()).isEqualTo(ConvergenceOutcome.BELOW_FLOOR);
        try (ManagementClient client = ManagementClient.connect(runDir))
        {
            assertThat(client.balloonReports("web")).extracting(r -> r.outcome()).containsExactly(ConvergenceOutcome.BELOW_FLOOR);
        }
        assertThat(coop("trace", "dump", "--type", "balloon-report").out())
            .contains("dom=1 BALLOON_REPORT outcome=below_floor requested_kib=8192 effective_kib=16384");
    }

    @Test
    void aXenstoreWriteIsReportedLikeAnyOtherGarbageIncluded()
    {
        assertThat(coop("xenstore", "write", "/local/domain/2/memory/target", "1048576").exitCode()).isZero();
        await().atMost(DEADLINE).until(() -> balloonColumn("db").startsWith("above-max:"));
        assertThat(coop("xenstore", "write", "/local/domain/2/memory/target", "lots").exitCode()).isZero();
        await().atMost(DEADLINE).until(() -> "invalid".equals(balloonColumn("db")));

        assertThat(coop("trace", "dump", "--type", "balloon-report", "--domain", "2").outLines())
            .anySatisfy(line -> assertThat(line).contains("outcome=above_maxmem requested_kib=1048576 effective_kib=16384"))
            .anySatisfy(line -> assertThat(line).contains("outcome=invalid_target requested_kib=-1")
                .contains("requested \\\"lots\\\": memory/target = \\\"lots\\\" is not a KiB count (not a number)"));
        assertThat(registry.scrape()).contains("coop_balloon_reports_total{outcome=\"above_maxmem\"} 1.0",
            "coop_balloon_reports_total{outcome=\"invalid_target\"} 1.0");
    }

    @Test
    void memMaxSetsMaxPagesAndStaticMaxAndRefusesBelowTheTargetOrBeyondTheRegion()
    {
        final CoopRun set = coop("mem-max", "web", "24m");
        final CoopRun aboveStaticMax = coop("mem-set", "web", "32m");
        final CoopRun belowTarget = coop("mem-max", "web", "8m");
        final CoopRun beyondRegion = coop("mem-max", "web", "1g");

        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out()).isEqualTo("Maximum memory of web set to 24576 KiB\n");
        assertThat(aboveStaticMax.exitCode()).isEqualTo(1);
        assertThat(aboveStaticMax.err()).isEqualTo("coop mem-set: cannot set the memory target of web to 32768 KiB: above its " +
            "maximum memory (memory/static-max) 24576 KiB; raise that first with coop mem-max\n");
        assertThat(belowTarget.exitCode()).isEqualTo(1);
        assertThat(belowTarget.err()).isEqualTo("coop mem-max: cannot set the maximum memory of web to 8192 KiB: below its " +
            "memory target 16384 KiB; lower the target first with coop mem-set\n");
        assertThat(beyondRegion.exitCode()).isEqualTo(1);
        assertThat(beyondRegion.err()).contains("it must be 0..32768 KiB (its memory region, the maxmem it was created with");
        assertThat(columns(coop("list", "web").outLines().get(1)).get(8)).as("MaxMem").isEqualTo("24");
        assertThat(coop("xenstore", "read", "/local/domain/1/memory/static-max", "/local/domain/1/memory/target").outLines())
            .containsExactly("24576", "16384");
    }

    @Test
    void balloonPolicyShowsNoneUntilSetThenThePolicyItsParametersAndEachDomainsLastDecision()
    {
        final CoopRun none = coop("balloon-policy");
        final CoopRun set = coop("balloon-policy", "set", "static", "period_ms=50");

        assertThat(none.outLines()).startsWith("policy          : none",
            "description     : targets change only by hand (coop mem-set, xenstore-write), as in Xen",
            "period_ms       : -", "parameters      : -");
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.outLines()).startsWith("policy          : static").contains("period_ms       : 50");
        await().atMost(DEADLINE).until(() -> coop("balloon-policy").outLines().stream()
            .filter(line -> line.startsWith("web ") || line.startsWith("db ")).count() == 2);
        final List<String> shown = coop("balloon-policy").outLines();
        assertThat(shown).contains("parameters      : targets_kib=");
        assertThat(shown).anySatisfy(line -> assertThat(columns(line)).startsWith("web", "1", "16384", "16384", "CONFIGURED", "no"));
        assertThat(coop("trace", "dump", "--type", "balloon-decision").out())
            .contains("dom=1 BALLOON_DECISION policy=static reason=CONFIGURED current_kib=16384 previous_kib=16384");
        try (ManagementClient client = ManagementClient.connect(runDir))
        {
            assertThat(client.balloonDecisions("web")).extracting(d -> d.reason()).startsWith("CONFIGURED");
        }
        assertThat(coop("balloon-policy", "set", "none").outLines()).startsWith("policy          : none");
    }

    @Test
    void badInputFailsNamingTheProblemWithExitCode1AndChangesNothing()
    {
        expectFailure(coop("mem-set", "web", "abc"), "coop mem-set: invalid memory size: 'abc' (not a whole number with an " +
            "optional unit): give a whole number with an optional unit b, k, m, g or t; no unit means MiB, as in xl");
        expectFailure(coop("mem-set", "web", "-5"), "coop mem-set: invalid memory size: '-5' (negative)");
        expectFailure(coop("mem-set", "web", "1.5g"), "coop mem-set: invalid memory size: '1.5g'");
        expectFailure(coop("mem-set", "web", "9999999999999999999m"), "coop mem-set: invalid memory size: '9999999999999999999m' (too large)");
        expectFailure(coop("mem-max", "web", "12mb"), "coop mem-max: invalid memory size: '12mb'");
        expectFailure(coop("mem-set", "nope", "8m"), "coop mem-set: no domain nope");
        expectFailure(coop("mem-max", "nope", "8m"), "coop mem-max: no domain nope");
        expectFailure(coop("balloon-policy", "set", "nope"), "coop balloon-policy set: unknown balloon policy 'nope'; known: ");
        expectFailure(coop("balloon-policy", "set", "mom", "pressure_threshold=7"),
            "coop balloon-policy set: pressure_threshold: 7 outside [0.0, 1.0]");
        expectFailure(coop("balloon-policy", "set", "static", "bogus=1"),
            "coop balloon-policy set: unknown parameter 'bogus' for policy static");
        assertThat(coop("mem-set", "web").exitCode()).as("usage error").isEqualTo(2);

        assertThat(coop("balloon-policy").outLines().getFirst()).isEqualTo("policy          : none");
        assertThat(coop("xenstore", "read", "/local/domain/1/memory/target", "/local/domain/1/memory/static-max").outLines())
            .containsExactly("16384", "32768");
        assertThat(balloonColumn("web")).isEqualTo("-");
    }

    private void expectFailure(final CoopRun run, final String message)
    {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).startsWith(message);
        assertThat(run.out()).isEmpty();
    }

    private String balloonColumn(final String domain)
    {
        final java.util.List<String> columns = columns(coop("list", domain).outLines().get(1));
        return columns.get(columns.size() - 2);
    }

    private void create(final String name, final String memory)
    {
        CoopRun.createInProcess(runDir, root, name, "idle", memory);
    }

    private CoopRun coop(final String... args)
    {
        return CoopRun.in(runDir, args);
    }
}
