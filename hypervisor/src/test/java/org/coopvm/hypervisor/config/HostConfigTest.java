package org.coopvm.hypervisor.config;

import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.runtime.CpuSchedulerConfig;
import org.coopvm.hypervisor.trace.TraceLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostConfigTest
{
    private static final Path DEFAULT_RUN = Path.of("/dev/shm/coopvm-test");

    @Test
    void emptyFileGivesDefaults()
    {
        final HostConfig config = HostConfig.parse("", "host.cfg", Map.of(), DEFAULT_RUN);

        assertThat(config.poolMib()).isEqualTo(HostConfig.DEFAULT_POOL_MIB);
        assertThat(config.cpuSlots()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.cpu()).as("Xen's credit scheduler with Xen's slice, tick and rate limit")
            .isEqualTo(CpuSchedulerConfig.of("credit", new SchedulerSettings(Runtime.getRuntime().availableProcessors(), 30, 10, 1000)));
        assertThat(config.runDir()).isEqualTo(DEFAULT_RUN);
        assertThat(config.apiPort()).isZero();
        assertThat(config.apiAddress()).isEqualTo("127.0.0.1");
        assertThat(config.traceLevel()).isEqualTo(TraceLevel.LIFECYCLE);
        assertThat(config.shutdownTimeoutMs()).isEqualTo(10_000);
    }

    @Test
    void fileSettingsAreRead()
    {
        final HostConfig config = HostConfig.parse("""
            pool_mib = 4096
            cpu_slots = 2
            run_dir = "/tmp/coop-run"
            api_port = 8123
            api_address = "127.0.0.1"
            trace_level = "hypercalls"
            shutdown_timeout_ms = 2500
            """, "host.cfg", Map.of(), DEFAULT_RUN);

        assertThat(config).isEqualTo(new HostConfig(4096, 2, Path.of("/tmp/coop-run"), 8123, "127.0.0.1", TraceLevel.HYPERCALLS, 2500));
    }

    @Test
    void commandLineOverridesWin()
    {
        final HostConfig config = HostConfig.parse("pool_mib = 4096\ntrace_level = 'off'\n", "host.cfg",
            Map.of("pool_mib", "512", "trace_level", "hypercalls", "run_dir", "/tmp/x"), DEFAULT_RUN);

        assertThat(config.poolMib()).isEqualTo(512);
        assertThat(config.traceLevel()).isEqualTo(TraceLevel.HYPERCALLS);
        assertThat(config.runDir()).isEqualTo(Path.of("/tmp/x"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "pool_mib    | 0             | 1..1048576",
        "cpu_slots   | 0             | cpu_slots = 0: cpu slots 0 outside 1..4096",
        "scheduler   | \"bvt\"       | scheduler = \"bvt\" is unknown: use one of ",
        "sched_credit_tslice_ms | 0  | sched_credit_tslice_ms = 0: slice 0 ms outside 1..1000",
        "sched_ratelimit_us | 99     | sched_ratelimit_us = 99: rate limit 99 us outside 100..500000 (0 = off)",
        "sched_ratelimit_us | 500001 | 100..500000",
        "cpus        | 2             | unknown key 'cpus'",
        "api_port    | 70000         | 0..65535",
        "api_address | \"0.0.0.0\"   | listens on 127.0.0.1 only",
        "trace_level | \"all\"       | \"off\", \"lifecycle\", \"hypercalls\"",
        "run_dir     | 5             | must be a quoted string",
        "shutdown_timeout_ms | 0     | 1..3600000",
        "balloon_policy | 5          | must be a quoted string",
        "balloon_policy_args | \"a=1\" | must be a list of strings",
        "convergence_poll_ms | 5     | 10..60000",
        "convergence_timeout_ms | 50 | 10000..3600000",
        "pool        | 5             | unknown key 'pool'",
    })
    void badValuesNameTheKey(final String key, final String value, final String allowed)
    {
        assertThatThrownBy(() -> HostConfig.parse("# host\n" + key + " = " + value + "\n", "host.cfg", Map.of(), DEFAULT_RUN))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("host.cfg:2: ")
            .hasMessageContaining(key)
            .hasMessageContaining(allowed);
    }

    @Test
    void theBalloonPolicyAndConvergenceDeadlinesAreReadWithNoPolicyByDefault()
    {
        final HostConfig none = HostConfig.parse("", "host.cfg", Map.of(), DEFAULT_RUN);
        final HostConfig config = HostConfig.parse("""
            balloon_policy = "mom"
            balloon_policy_args = [ "pressure_threshold=0.3", "period_ms=5000" ]
            convergence_poll_ms = 100
            convergence_slow_ms = 2000
            convergence_timeout_ms = 4000
            """, "host.cfg", Map.of(), DEFAULT_RUN);

        assertThat(none.balloonPolicy()).as("no policy: targets change only by hand, as in Xen").isEmpty();
        assertThat(none.convergence()).isEqualTo(new ConvergenceConfig(200, 10_000, 30_000));
        assertThat(config.balloonPolicy()).isEqualTo("mom");
        assertThat(config.balloonPolicyArgs()).containsExactly("pressure_threshold=0.3", "period_ms=5000");
        assertThat(config.convergence()).isEqualTo(new ConvergenceConfig(100, 2_000, 4_000));
        assertThat(HostConfig.parse("balloon_policy = \"none\"\n", "host.cfg", Map.of(), DEFAULT_RUN).balloonPolicy()).isEmpty();
        assertThatThrownBy(() -> HostConfig.parse("balloon_policy_args = [ \"a=1\" ]\n", "host.cfg", Map.of(), DEFAULT_RUN))
            .isInstanceOf(ConfigException.class).hasMessage("host.cfg:1: balloon_policy_args needs a balloon_policy");
        assertThatThrownBy(() -> new ConvergenceConfig(100, 50, 4_000)).hasMessageContaining("poll <= slow <= timeout");
    }

    @Test
    void badOverrideIsReportedAsFromTheCommandLine()
    {
        assertThatThrownBy(() -> HostConfig.parse("", "host.cfg", Map.of("cpu_slots", "lots"), DEFAULT_RUN))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("command line: cpu_slots = \"lots\" must be an integer");
    }

    @Test
    void theCpuSchedulerKeysAreXensAndTheRateLimitMustFitTheSlice()
    {
        final HostConfig config = HostConfig.parse("""
            cpu_slots = 1
            scheduler = "credit2"
            sched_credit_tslice_ms = 5
            sched_ratelimit_us = 0
            """, "host.cfg", Map.of(), DEFAULT_RUN);

        assertThat(config.cpu()).isEqualTo(CpuSchedulerConfig.of("credit2", new SchedulerSettings(1, 5, 10, 0)));
        assertThat(HostConfig.parse("", "host.cfg", Map.of("cpu_slots", "3", "scheduler", "credit"), DEFAULT_RUN).cpuSlots())
            .isEqualTo(3);
        assertThatThrownBy(() -> HostConfig.parse("sched_credit_tslice_ms = 2\nsched_ratelimit_us = 5000\n", "host.cfg", Map.of(),
            DEFAULT_RUN))
            .isInstanceOf(ConfigException.class)
            .hasMessage("host.cfg:2: sched_ratelimit_us = 5000: rate limit 5000 us longer than the slice (2 ms)");
    }

    @Test
    void defaultRunDirComesFromTheEnvironmentElseDevShm()
    {
        assertThat(HostConfig.defaultRunDir(Map.of("COOP_RUN_DIR", "/tmp/r"), "ann")).isEqualTo(Path.of("/tmp/r"));
        assertThat(HostConfig.defaultRunDir(Map.of(), "ann")).isEqualTo(Path.of("/dev/shm/coopvm-ann"));
    }
}
