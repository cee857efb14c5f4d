package org.coopvm.perf.hypercall;

import java.util.Map;

/**
 * Names of the benchmark workloads' arguments (passed in the start info) and their parsing.
 * Stateless; any thread.
 */
final class BenchWorkloadArgs
{
    /** Round trips (hypercalls or events) before measuring. */
    static final String WARMUP = "warmup";
    /** Measured round trips. */
    static final String MEASURED = "measured";

    private BenchWorkloadArgs()
    {
    }

    static int positiveInt(final Map<String, String> args, final String key)
    {
        final long value = positiveLong(args, key);
        if (value > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(key + " too large: " + value);
        }
        return (int)value;
    }

    static long positiveLong(final Map<String, String> args, final String key)
    {
        final String text = args.get(key);
        if (text == null)
        {
            throw new IllegalArgumentException("missing workload argument " + key);
        }
        final long value = Long.parseLong(text.strip());
        if (value < 0)
        {
            throw new IllegalArgumentException(key + " must be >= 0: " + value);
        }
        return value;
    }
}
