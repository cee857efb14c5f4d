package org.coopvm.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.InMemoryHostControl;
import org.coopvm.hypervisor.api.ManagementServer;
import org.coopvm.hypervisor.api.RunDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.cli.CoopRun.columns;

class DomainCommandsTest
{
    @TempDir
    private Path tmp;

    private String runDir;
    private PrometheusMeterRegistry registry;
    private ManagementServer server;
    private InMemoryHostControl control;
    private Path webCfg;

    @BeforeEach
    void startHost() throws Exception
    {
        runDir = tmp.resolve("run").toString();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        control = new InMemoryHostControl(512, runDir);
        server = ManagementServer.start(control, new RunDirectory(Path.of(runDir)), 0, registry, () ->
        {
        });
        webCfg = Files.writeString(tmp.resolve("web.cfg"), """
            name = "web"
            memory = 64
            vcpus = 2
            workload = "idle"
            """);
    }

    @AfterEach
    void stopHost()
    {
        server.close();
        registry.close();
    }

    @Test
    void createThenListInXlColumns()
    {
        final CoopRun create = coop("create", webCfg.toString());
        final CoopRun list = coop("list");

        assertThat(create.exitCode()).isZero();
        assertThat(create.out()).isEqualTo("Created domain web (id 1)\n");
        assertThat(list.exitCode()).isZero();
        assertThat(columns(list.outLines().get(0)))
            .containsExactly("Name", "ID", "Mem", "VCPUs", "State", "Time(s)", "CPU(%)", "Steal(%)", "MaxMem", "Resident", "Balloon", "Swap(MiB)");
        assertThat(columns(list.outLines().get(1))).as("a host without CPU figures shows -")
            .containsExactly("web", "1", "64", "2", "r-----", "1.5", "-", "-", "64", "64.0", "-", "-");
        assertThat(list.outLines()).hasSize(2);
    }

    @Test
    void listJsonIsTheApisDomainInfo() throws Exception
    {
        coop("create", webCfg.toString());

        final CoopRun list = coop("list", "--json");

        final DomainInfo[] domains = JsonMapper.builder().build().readValue(list.out(), DomainInfo[].class);
        assertThat(domains).extracting(DomainInfo::name, DomainInfo::memoryKib).containsExactly(
            org.assertj.core.groups.Tuple.tuple("web", 64L * 1024));
    }

    @Test
    void lifecycleCommandsChangeTheStateShownByList()
    {
        coop("create", webCfg.toString());

        assertThat(coop("pause", "web").exitCode()).isZero();
        assertThat(stateOf("web")).isEqualTo("--p---");
        assertThat(coop("unpause", "1").exitCode()).isZero();
        assertThat(stateOf("web")).isEqualTo("r-----");
        assertThat(coop("shutdown", "web").out()).isEqualTo("Shutting down domain web\n");
        assertThat(stateOf("web")).isEqualTo("---s--");
        assertThat(coop("destroy", "web").exitCode()).isZero();
        assertThat(coop("list").outLines()).hasSize(1);
        coop("create", webCfg.toString());
        assertThat(coop("reboot", "web").out()).isEqualTo("Rebooting domain web\n");
    }

    @Test
    void shutdownAndRebootWaitWithDashWAndForceWithDashF()
    {
        coop("create", webCfg.toString());

        final CoopRun shutdown = coop("shutdown", "-w", "-F", "web");
        coop("destroy", "web");
        coop("create", webCfg.toString());
        final CoopRun reboot = coop("reboot", "-w", "2");

        assertThat(shutdown.exitCode()).as(shutdown.err()).isZero();
        assertThat(shutdown.outLines()).containsExactly("Shutting down domain web", "Waiting for domain web (id 1)",
            "Domain 1 has shut down (poweroff) and is kept");
        assertThat(reboot.exitCode()).as(reboot.err()).isZero();
        assertThat(reboot.outLines()).containsExactly("Rebooting domain 2", "Waiting for domain 2 (id 2)",
            "Domain 2 has shut down (reboot) and is kept");
        assertThat(control.forcedShutdowns()).as("only -F forces").isEqualTo(1);
    }

    @Test
    void vcpuListAndInfoShowTheHost()
    {
        coop("create", webCfg.toString());

        final CoopRun vcpus = coop("vcpu-list", "web");
        final CoopRun info = coop("info");

        assertThat(columns(vcpus.outLines().get(0))).containsExactly("Name", "ID", "VCPU", "Slot", "State", "Time(s)", "Running(s)",
            "Runnable(s)", "Blocked(s)", "Offline(s)", "Steal(s)", "Pri", "Credit", "Overruns");
        assertThat(vcpus.outLines().subList(1, 3)).extracting(CoopRun::columns).containsExactly(
            List.of("web", "1", "0", "-", "blocked", "0.3", "0.0", "0.0", "0.0", "0.0", "0.0", "-", "0", "0"),
            List.of("web", "1", "1", "-", "blocked", "0.5", "0.0", "0.0", "0.0", "0.0", "0.0", "-", "0", "0"));
        assertThat(info.out()).contains("run_dir         : " + runDir, "total_memory    : 512 MiB",
            "free_memory     : 448 MiB", "nr_domains      : 1", "api             : 127.0.0.1:" + server.port());
    }

    @Test
    void unknownDomainFailsWithExitCode1NamingIt()
    {
        for (final String command : List.of("pause", "unpause", "shutdown", "reboot", "destroy", "vcpu-list"))
        {
            final CoopRun run = coop(command, "nope");

            assertThat(run.exitCode()).as(command).isEqualTo(1);
            assertThat(run.err()).as(command).isEqualTo("coop " + command + ": no domain 'nope'\n");
        }
        assertThat(coop("list", "nope").err()).isEqualTo("coop list: no domain 'nope'\n");
    }

    @Test
    void badConfigFailsNamingFileLineAndKey() throws Exception
    {
        final Path bad = Files.writeString(tmp.resolve("bad.cfg"), "name = \"x\"\nmemory = 64\nworkload = \"idle\"\nvcpu = 2\n");

        final CoopRun run = coop("create", bad.toString());
        final CoopRun missing = coop("create", tmp.resolve("absent.cfg").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("coop create: " + bad + ":4: unknown key 'vcpu'");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read domain config " + tmp.resolve("absent.cfg"));
        assertThat(coop("list").outLines()).hasSize(1);
    }

    @Test
    void configMistakesAreReportedEvenWithNoHost() throws Exception
    {
        final Path bad = Files.writeString(tmp.resolve("bad.cfg"), "name = \"x\"\nmemory = 0\nworkload = \"idle\"\n");

        final CoopRun run = CoopRun.of("create", bad.toString(), "--run-dir", tmp.resolve("no-host").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("coop create: " + bad + ":2: memory = 0 is out of range 1..1048576 (MiB)\n");
    }

    @Test
    void aCooperationPolicyTheGuestDoesNotKnowOrABadParameterIsRefusedNamingLineAndKey() throws Exception
    {
        final String base = "name = \"x\"\nmemory = 64\nworkload = \"idle\"\n";
        final Path unknown = Files.writeString(tmp.resolve("unknown.cfg"), base + "coop_policy = \"greedy\"\n");
        final Path badArg = Files.writeString(tmp.resolve("bad-arg.cfg"), base +
            "coop_policy = \"memory-cooperative\"\ncoop_policy_args = [ \"high_water=2\" ]\n");

        final CoopRun unknownRun = coop("create", unknown.toString());
        final CoopRun badArgRun = coop("create", badArg.toString());

        assertThat(unknownRun.exitCode()).isEqualTo(1);
        assertThat(unknownRun.err()).startsWith("coop create: " + unknown + ":4: coop_policy: unknown cooperation policy 'greedy' " +
            "(known: memory-cooperative");
        assertThat(badArgRun.exitCode()).isEqualTo(1);
        assertThat(badArgRun.err()).startsWith("coop create: " + badArg + ":5: coop_policy_args: high_water = 2 is not a number in");
        assertThat(coop("list").outLines()).as("nothing created").hasSize(1);
    }

    @Test
    void runDirMayBeGivenBeforeOrAfterTheSubcommand()
    {
        assertThat(CoopRun.of("--run-dir", runDir, "list").exitCode()).isZero();
        assertThat(CoopRun.of("list", "--run-dir", runDir).exitCode()).isZero();
    }

    @Test
    void noHostRunningIsExitCode1WithHowToStartOne()
    {
        final Path empty = tmp.resolve("nothing-here");

        final CoopRun run = CoopRun.of("list", "--run-dir", empty.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("coop list: no CoopVM host running at " + empty + ": start one with ./coop host start\n");
    }

    @Test
    void usageErrorsAreExitCode2()
    {
        assertThat(coop("pause").exitCode()).isEqualTo(2);
        assertThat(coop("frobnicate").exitCode()).isEqualTo(2);
        assertThat(coop("list", "--jsn").err()).contains("Unknown option: '--jsn'");
        final CoopRun noDomain = coop("sched-credit", "-w", "512");
        final CoopRun hostAndDomain = coop("sched-credit", "-d", "web", "-t", "10");
        assertThat(noDomain.exitCode()).isEqualTo(2);
        assertThat(noDomain.err()).startsWith("-w, -c and -s change a domain: name it with -d DOMAIN");
        assertThat(hostAndDomain.exitCode()).isEqualTo(2);
        assertThat(hostAndDomain.err()).startsWith("-t and -r change the host's settings: give them without -d");
        assertThat(coop("sched-credit", "-d", "web", "-w", "lots").exitCode()).isEqualTo(2);
    }

    private String stateOf(final String name)
    {
        return coop("list", name).outLines().get(1).split("\\s+")[4];
    }

    private CoopRun coop(final String... args)
    {
        final String[] withRunDir = new String[args.length + 2];
        withRunDir[0] = "--run-dir";
        withRunDir[1] = runDir;
        System.arraycopy(args, 0, withRunDir, 2, args.length);
        return CoopRun.of(withRunDir);
    }
}
