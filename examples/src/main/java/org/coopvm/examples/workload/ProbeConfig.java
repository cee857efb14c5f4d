package org.coopvm.examples.workload;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code latency-probe} workload's arguments, validated once (an error names the key):
 *
 * <ul>
 * <li>{@code rate} (default 200): mean requests per second, 1..20000; arrivals are a Poisson
 * process (exponential gaps), open loop: a late answer does not delay the next arrival.</li>
 * <li>{@code service_us} (default 50): the work one answer takes, 0..100000 microseconds.</li>
 * <li>{@code seconds} (default 0 = until shut down): run time, then a summary and a poweroff.</li>
 * <li>{@code report_ms} (default 1000): period of the figures in xenstore, 100..60000.</li>
 * <li>{@code seed} (default 1): the arrival stream's seed: same seed, same arrival gaps.</li>
 * </ul>
 *
 * <p>Thread safety: immutable.
 *
 * @param ratePerSecond mean arrivals per second.
 * @param serviceNs     work per answer.
 * @param runNs         run time, 0 for ever.
 * @param reportNs      figures period.
 * @param seed          random seed.
 */
record ProbeConfig(int ratePerSecond, long serviceNs, long runNs, long reportNs, long seed)
{
    /** The arguments the workload reads. */
    static final Set<String> KEYS = Set.of("rate", "service_us", "seconds", "report_ms", "seed");

    /**
     * @param args the domain config's workload arguments.
     * @return the validated configuration.
     * @throws IllegalArgumentException naming the key that is unknown, malformed or out of range.
     */
    static ProbeConfig from(final Map<String, String> args)
    {
        WorkloadArgs.requireKnown(args, KEYS, "latency-probe");
        return new ProbeConfig(
            (int)WorkloadArgs.longArg(args, "rate", 200, 1, 20_000),
            TimeUnit.MICROSECONDS.toNanos(WorkloadArgs.longArg(args, "service_us", 50, 0, 100_000)),
            TimeUnit.SECONDS.toNanos(WorkloadArgs.longArg(args, "seconds", 0, 0, 86_400)),
            TimeUnit.MILLISECONDS.toNanos(WorkloadArgs.longArg(args, "report_ms", 1000, 100, 60_000)),
            WorkloadArgs.longArg(args, "seed", 1));
    }

    /** @return one line for the console. */
    String describe()
    {
        return ratePerSecond + " requests/s (Poisson), " + TimeUnit.NANOSECONDS.toMicros(serviceNs) + " us of work each" +
            (runNs > 0 ? ", for " + TimeUnit.NANOSECONDS.toSeconds(runNs) + " s" : ", until shut down");
    }
}
