package org.coopvm.hypervisor.config;

import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.Schedulers;
import org.coopvm.hypervisor.sched.runtime.CpuSchedulerConfig;
import org.coopvm.hypervisor.trace.TraceLevel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The host's settings, from an xl.cfg-style file with every key overridable from the command
 * line. Keys: {@code pool_mib} (memory pool for all guests, default 1024), {@code cpu_slots}
 * (physical CPU slots P, 1..4096, default the available processors), {@code scheduler} (the CPU
 * scheduling algorithm: "credit", the default, "credit2", or any other one on the class path),
 * {@code sched_credit_tslice_ms} (the time slice, 1..1000, default 30) and
 * {@code sched_ratelimit_us} (0 = off, or 100..500000 and at most the slice; default 1000) as
 * Xen's boot parameters of those names, {@code run_dir} (default
 * {@code $COOP_RUN_DIR}, else {@code /dev/shm/coopvm-<user>}), {@code api_port} (0 =
 * ephemeral, the default), {@code api_address} (only {@code "127.0.0.1"}: the API is loopback
 * only), {@code trace_level} ("off" | "lifecycle" | "hypercalls", default lifecycle),
 * {@code shutdown_timeout_ms} (how long {@code coop shutdown} waits for a guest to act on
 * {@code control/shutdown} before the toolstack shuts it down itself, default 10000),
 * {@code balloon_policy} (the balloon policy the host runs from the start, e.g. "mom"; default
 * none: targets change only by hand, {@code coop mem-set} or {@code xenstore-write}, as in Xen),
 * {@code balloon_policy_args} (its {@code key=value} parameters, a list of strings), and
 * {@code convergence_poll_ms}, {@code convergence_slow_ms}, {@code convergence_timeout_ms}
 * ({@link ConvergenceConfig}).
 *
 * @param poolMib     memory the host may hand out to guests.
 * @param cpu         the CPU scheduler: algorithm, slots, slice, rate limit (enforcement at its defaults).
 * @param runDir      the run directory (DESIGN: host.json, api.token, trace, per-domain files).
 * @param apiPort     TCP port of the management API; 0 picks a free one.
 * @param apiAddress  always 127.0.0.1.
 * @param traceLevel  what the trace records.
 * @param shutdownTimeoutMs how long a guest asked through {@code control/shutdown} has to shut
 *                    down before the toolstack falls back to shutting it down in the hypervisor.
 * @param balloonPolicy the balloon policy run from the start, "" for none (the toolstack checks the name).
 * @param balloonPolicyArgs its {@code key=value} parameters (checked with the name).
 * @param convergence how target changes are judged.
 *
 * <p>Thread safety: immutable.
 */
public record HostConfig(
    int poolMib, CpuSchedulerConfig cpu, Path runDir, int apiPort, String apiAddress, TraceLevel traceLevel, long shutdownTimeoutMs,
    String balloonPolicy, List<String> balloonPolicyArgs, ConvergenceConfig convergence)
{
    /** The only address the management API listens on. */
    public static final String LOOPBACK = "127.0.0.1";
    /** Pool size when none is given. */
    public static final int DEFAULT_POOL_MIB = 1024;
    /** Largest pool: 1 TiB. */
    public static final int MAX_POOL_MIB = 1024 * 1024;
    /** Environment variable naming the run directory. */
    public static final String RUN_DIR_ENV = "COOP_RUN_DIR";
    /** How long a guest has to act on {@code control/shutdown} when the host file does not say. */
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
    /** Longest shutdown timeout: one hour. */
    public static final long MAX_SHUTDOWN_TIMEOUT_MS = 3_600_000;

    private static final Set<String> KEYS = Set.of("pool_mib", "cpu_slots", "scheduler",
        "sched_credit_tslice_ms", "sched_ratelimit_us", "run_dir", "api_port", "api_address", "trace_level",
        "shutdown_timeout_ms", "balloon_policy", "balloon_policy_args", "convergence_poll_ms", "convergence_slow_ms",
        "convergence_timeout_ms");

    /**
     * Validate the components (also when built in code, not parsed).
     */
    public HostConfig
    {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(traceLevel, "traceLevel");
        Objects.requireNonNull(balloonPolicy, "balloonPolicy");
        Objects.requireNonNull(convergence, "convergence");
        balloonPolicyArgs = List.copyOf(balloonPolicyArgs);
        if (balloonPolicy.isEmpty() && !balloonPolicyArgs.isEmpty())
        {
            throw new IllegalArgumentException("balloon_policy_args " + balloonPolicyArgs + " given without a balloon_policy");
        }
        if (poolMib < 1 || poolMib > MAX_POOL_MIB || apiPort < 0 || apiPort > 65535)
        {
            throw new IllegalArgumentException("pool " + poolMib + " MiB, port " + apiPort +
                ": need pool 1.." + MAX_POOL_MIB + ", port 0..65535");
        }
        if (!LOOPBACK.equals(apiAddress))
        {
            throw new IllegalArgumentException("api_address " + apiAddress + ": the management API listens on " + LOOPBACK + " only");
        }
        if (shutdownTimeoutMs < 1 || shutdownTimeoutMs > MAX_SHUTDOWN_TIMEOUT_MS)
        {
            throw new IllegalArgumentException("shutdown timeout " + shutdownTimeoutMs + " ms: need 1.." + MAX_SHUTDOWN_TIMEOUT_MS);
        }
    }

    /**
     * A config with the credit scheduler at Xen's settings, no balloon policy and the default
     * convergence deadlines.
     *
     * @param poolMib           memory the host may hand out to guests.
     * @param cpuSlots          physical CPU slots the scheduler uses.
     * @param runDir            the run directory.
     * @param apiPort           TCP port of the management API; 0 picks a free one.
     * @param apiAddress        always 127.0.0.1.
     * @param traceLevel        what the trace records.
     * @param shutdownTimeoutMs how long a guest has to act on {@code control/shutdown}.
     */
    public HostConfig(final int poolMib, final int cpuSlots, final Path runDir, final int apiPort, final String apiAddress,
        final TraceLevel traceLevel, final long shutdownTimeoutMs)
    {
        this(poolMib, CpuSchedulerConfig.of(Schedulers.DEFAULT_NAME, SchedulerSettings.defaults(cpuSlots)), runDir, apiPort, apiAddress, traceLevel, shutdownTimeoutMs, "", List.of(), ConvergenceConfig.DEFAULTS);
    }

    /**
     * A config with the default shutdown timeout.
     *
     * @param poolMib    memory the host may hand out to guests.
     * @param cpuSlots   physical CPU slots the scheduler uses.
     * @param runDir     the run directory.
     * @param apiPort    TCP port of the management API; 0 picks a free one.
     * @param apiAddress always 127.0.0.1.
     * @param traceLevel what the trace records.
     */
    public HostConfig(final int poolMib, final int cpuSlots, final Path runDir, final int apiPort, final String apiAddress,
        final TraceLevel traceLevel)
    {
        this(poolMib, cpuSlots, runDir, apiPort, apiAddress, traceLevel, DEFAULT_SHUTDOWN_TIMEOUT_MS);
    }

    /**
     * @param timeoutMs how long a guest has to act on {@code control/shutdown}.
     * @return this config with that shutdown timeout.
     */
    public HostConfig withShutdownTimeoutMs(final long timeoutMs)
    {
        return new HostConfig(poolMib, cpu, runDir, apiPort, apiAddress, traceLevel, timeoutMs, balloonPolicy,
            balloonPolicyArgs, convergence);
    }

    /**
     * @param policy    the balloon policy to run from the start ("" for none).
     * @param arguments its {@code key=value} parameters.
     * @return this config with that policy.
     */
    public HostConfig withBalloonPolicy(final String policy, final List<String> arguments)
    {
        return new HostConfig(poolMib, cpu, runDir, apiPort, apiAddress, traceLevel, shutdownTimeoutMs, policy, arguments,
            convergence);
    }

    /**
     * @param deadlines how target changes are judged.
     * @return this config with those deadlines.
     */
    public HostConfig withConvergence(final ConvergenceConfig deadlines)
    {
        return new HostConfig(poolMib, cpu, runDir, apiPort, apiAddress, traceLevel, shutdownTimeoutMs, balloonPolicy,
            balloonPolicyArgs, deadlines);
    }

    /**
     * @param value the CPU scheduler's config.
     * @return this config with it.
     */
    public HostConfig withCpu(final CpuSchedulerConfig value)
    {
        return new HostConfig(poolMib, value, runDir, apiPort, apiAddress, traceLevel, shutdownTimeoutMs, balloonPolicy,
            balloonPolicyArgs, convergence);
    }

    /** @return the physical CPU slots P. */
    public int cpuSlots()
    {
        return cpu.settings().slots();
    }

    /**
     * @param text          the host file's contents, or "" for none.
     * @param source        its name for error messages.
     * @param overrides     command-line settings by key (values as on a command line: 512, "a b", off); they win.
     * @param defaultRunDir the run directory when neither file nor overrides set one.
     * @return the validated config.
     * @throws ConfigException naming the source, line (0 for overrides) and key of the first problem.
     */
    public static HostConfig parse(
        final String text, final String source, final Map<String, String> overrides, final Path defaultRunDir)
    {
        final Map<String, Setting> settings = new LinkedHashMap<>(XlConfigParser.parse(text, source));
        overrides.forEach((key, value) -> settings.put(key, XlConfigParser.parseOverride(key, value)));
        return from(settings, source, defaultRunDir);
    }

    /**
     * @param settings      parsed settings.
     * @param source        the file name for errors.
     * @param defaultRunDir the run directory when the settings have none.
     * @return the validated config.
     * @throws ConfigException naming the source, line and key of the first problem.
     */
    public static HostConfig from(final Map<String, Setting> settings, final String source, final Path defaultRunDir)
    {
        final SettingsReader reader = new SettingsReader(settings, source, KEYS);
        return new HostConfig(
            (int)reader.integer("pool_mib", DEFAULT_POOL_MIB, 1, MAX_POOL_MIB, "MiB"),
            cpu(reader),
            runDir(reader, defaultRunDir),
            (int)reader.integer("api_port", 0, 0, 65535, "0 = any free port"),
            apiAddress(reader),
            reader.choice("trace_level", TraceLevel.class, TraceLevel.LIFECYCLE),
            reader.integer("shutdown_timeout_ms", DEFAULT_SHUTDOWN_TIMEOUT_MS, 1, MAX_SHUTDOWN_TIMEOUT_MS, "ms"),
            balloonPolicy(reader),
            reader.stringList("balloon_policy_args"),
            convergence(reader));
    }

    /**
     * {@code scheduler} (a name {@link Schedulers} knows), {@code cpu_slots}, {@code sched_credit_tslice_ms}
     * and {@code sched_ratelimit_us}, in that order, each checked by {@link SchedulerSettings} (its
     * messages give the range; the rate limit also against the slice).
     */
    private static CpuSchedulerConfig cpu(final SettingsReader reader)
    {
        final String scheduler = reader.string("scheduler", Schedulers.DEFAULT_NAME).trim();
        final Schedulers known = Schedulers.load();
        if (!known.names().contains(scheduler))
        {
            throw reader.setting("scheduler").error("scheduler = \"" + scheduler + "\" is unknown: use one of " +
                String.join(", ", known.names()) + " (or add one through ServiceLoader)");
        }
        SchedulerSettings settings = SchedulerSettings.defaults(Math.min(SchedulerSettings.MAX_SLOTS,
            Runtime.getRuntime().availableProcessors()));
        settings = reader.checked("cpu_slots", settings, (s, value) -> s.withSlots(SettingsReader.toInt(value)));
        settings = reader.checked("sched_credit_tslice_ms", settings, (s, value) -> s.withSliceMs(SettingsReader.toInt(value)));
        settings = reader.checked("sched_ratelimit_us", settings, SchedulerSettings::withRateLimitUs);
        return CpuSchedulerConfig.of(scheduler, settings);
    }

    private static String balloonPolicy(final SettingsReader reader)
    {
        final String text = reader.string("balloon_policy", "").trim();
        final String policy = "none".equals(text) ? "" : text;
        if (policy.isEmpty() && !reader.stringList("balloon_policy_args").isEmpty())
        {
            throw reader.setting("balloon_policy_args").error("balloon_policy_args needs a balloon_policy");
        }
        return policy;
    }

    private static ConvergenceConfig convergence(final SettingsReader reader)
    {
        final long pollMs = reader.integer("convergence_poll_ms", ConvergenceConfig.DEFAULT_POLL_MS,
            ConvergenceConfig.MIN_POLL_MS, ConvergenceConfig.MAX_POLL_MS, "ms");
        final long slowMs = reader.integer("convergence_slow_ms", Math.max(pollMs, ConvergenceConfig.DEFAULT_SLOW_MS), pollMs,
            ConvergenceConfig.MAX_TIMEOUT_MS, "ms, at least convergence_poll_ms");
        final long timeoutMs = reader.integer("convergence_timeout_ms", Math.max(slowMs, ConvergenceConfig.DEFAULT_TIMEOUT_MS),
            slowMs, ConvergenceConfig.MAX_TIMEOUT_MS, "ms, at least convergence_slow_ms");
        return new ConvergenceConfig(pollMs, slowMs, timeoutMs);
    }

    /**
     * The run directory clients and hosts use when none is given on the command line.
     *
     * @param env  the environment ({@code System.getenv()} in the CLI).
     * @param user the user name ({@code user.name}).
     * @return {@code $COOP_RUN_DIR} if set and non-empty, else {@code /dev/shm/coopvm-<user>}.
     */
    public static Path defaultRunDir(final Map<String, String> env, final String user)
    {
        final String fromEnv = env.get(RUN_DIR_ENV);
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : Path.of("/dev/shm", "coopvm-" + user);
    }

    private static Path runDir(final SettingsReader reader, final Path defaultRunDir)
    {
        final String text = reader.string("run_dir", null);
        if (text == null)
        {
            return defaultRunDir.toAbsolutePath();
        }
        if (text.isBlank() || text.indexOf('\0') >= 0)
        {
            throw reader.setting("run_dir").error("run_dir = \"" + text + "\" must be a directory path");
        }
        return Path.of(text).toAbsolutePath().normalize();
    }

    private static String apiAddress(final SettingsReader reader)
    {
        final String address = reader.string("api_address", LOOPBACK);
        if (!LOOPBACK.equals(address))
        {
            throw reader.setting("api_address").error("api_address = \"" + address +
                "\" is not allowed: the management API listens on " + LOOPBACK + " only");
        }
        return address;
    }
}
