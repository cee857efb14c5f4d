package org.coopvm.examples.workload;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code hog} workload's arguments, validated once (an error names the key). {@code profile}
 * chooses the demand curve and its keys (MiB and seconds may be decimals):
 *
 * <ul>
 * <li>{@code ramp}: {@code from_mib} (default 0), {@code to_mib}, {@code over_s}.</li>
 * <li>{@code step}: {@code levels_mib} and {@code durations_s}, comma-separated lists of the
 * same length; the last level holds after the last duration.</li>
 * <li>{@code sine}: {@code mean_mib}, {@code amplitude_mib} (at most the mean), {@code period_s}.</li>
 * <li>{@code csv}: {@code file} (a {@code seconds,MiB} trace, see {@link DemandTrace}; a process
 * guest resolves a relative path against the host's working directory, so give an absolute one)
 * and {@code interpolate} ({@code linear}, the default, or {@code step}).</li>
 * </ul>
 *
 * <p>And for every profile: {@code tick_ms} (default 100, 10..10000): how often the hog follows
 * its demand; {@code max_step_mib} (default 64, 1..4096): most MiB allocated or freed per tick;
 * {@code touch_mib} (default 4, 0..4096): MiB of held pages whose pattern is checked and
 * rewritten per tick, round-robin; {@code swappable} (default false): whether the hog's pages are
 * swappable (the kernel may page cold ones out to the domain's swap disk when memory is short).
 *
 * <p>Thread safety: immutable.
 *
 * @param profile    the demand curve.
 * @param tickMs     follow period.
 * @param maxStepMib most MiB allocated or freed per tick.
 * @param touchMib   MiB re-touched per tick.
 * @param swappable  whether the hog's memory is swappable.
 */
record HogConfig(HogProfile profile, long tickMs, int maxStepMib, int touchMib, boolean swappable)
{
    /** Largest demand: 1 TiB. */
    static final double MAX_MIB = 1 << 20;
    /** Longest duration or period: about 115 days. */
    static final double MAX_SECONDS = 1e7;
    /** Keys every profile accepts. */
    static final Set<String> COMMON_KEYS = Set.of("profile", "tick_ms", "max_step_mib", "touch_mib", "swappable");

    private static final double MIN_SECONDS = 0.001;

    /**
     * @param args the domain config's workload arguments.
     * @return the validated configuration.
     * @throws IllegalArgumentException naming the key that is missing, unknown, malformed or out of range.
     */
    static HogConfig from(final Map<String, String> args)
    {
        final String profile = WorkloadArgs.required(args, "profile");
        final Set<String> known = new HashSet<>(COMMON_KEYS);
        known.addAll(profileKeys(profile));
        WorkloadArgs.requireKnown(args, known, "hog profile=" + profile);
        return new HogConfig(
            profile(profile, args),
            WorkloadArgs.longArg(args, "tick_ms", 100, 10, 10_000),
            (int)WorkloadArgs.longArg(args, "max_step_mib", 64, 1, 4096),
            (int)WorkloadArgs.longArg(args, "touch_mib", 4, 0, 4096),
            WorkloadArgs.booleanArg(args, "swappable", false));
    }

    private static Set<String> profileKeys(final String profile)
    {
        return switch (profile)
        {
            case "ramp" -> Set.of("from_mib", "to_mib", "over_s");
            case "step" -> Set.of("levels_mib", "durations_s");
            case "sine" -> Set.of("mean_mib", "amplitude_mib", "period_s");
            case "csv" -> Set.of("file", "interpolate");
            default -> throw new IllegalArgumentException("workload argument profile=" + profile + " is not ramp, step, sine or csv");
        };
    }

    private static HogProfile profile(final String profile, final Map<String, String> args)
    {
        return switch (profile)
        {
            case "ramp" -> new HogProfile.Ramp(mib(args, "from_mib", 0), mib(args, "to_mib", Double.NaN), seconds(args, "over_s"));
            case "step" -> steps(args);
            case "sine" -> sine(args);
            default -> DemandTrace.read(Path.of(WorkloadArgs.required(args, "file")), linear(args));
        };
    }

    private static HogProfile steps(final Map<String, String> args)
    {
        final double[] levels = WorkloadArgs.doubleList(args, "levels_mib", 0, MAX_MIB);
        final double[] durations = WorkloadArgs.doubleList(args, "durations_s", MIN_SECONDS, MAX_SECONDS);
        if (levels.length != durations.length)
        {
            throw new IllegalArgumentException("workload argument durations_s has " + durations.length + " values but levels_mib has " +
                levels.length);
        }
        return new HogProfile.Steps(levels, durations);
    }

    private static HogProfile sine(final Map<String, String> args)
    {
        final double mean = mib(args, "mean_mib", Double.NaN);
        final double amplitude = mib(args, "amplitude_mib", Double.NaN);
        if (amplitude > mean)
        {
            throw new IllegalArgumentException("workload argument amplitude_mib=" + WorkloadArgs.plain(amplitude) +
                " is above mean_mib=" + WorkloadArgs.plain(mean) + " (the demand would go below 0)");
        }
        return new HogProfile.Sine(mean, amplitude, seconds(args, "period_s"));
    }

    private static boolean linear(final Map<String, String> args)
    {
        final String mode = args.getOrDefault("interpolate", "linear").strip();
        return switch (mode)
        {
            case "linear" -> true;
            case "step" -> false;
            default -> throw new IllegalArgumentException("workload argument interpolate=" + mode + " is not linear or step");
        };
    }

    /** @param defaultValue NaN: required. */
    private static double mib(final Map<String, String> args, final String key, final double defaultValue)
    {
        if (Double.isNaN(defaultValue))
        {
            WorkloadArgs.required(args, key);
        }
        return WorkloadArgs.doubleArg(args, key, defaultValue, 0, MAX_MIB);
    }

    private static double seconds(final Map<String, String> args, final String key)
    {
        WorkloadArgs.required(args, key);
        return WorkloadArgs.doubleArg(args, key, Double.NaN, MIN_SECONDS, MAX_SECONDS);
    }
}
