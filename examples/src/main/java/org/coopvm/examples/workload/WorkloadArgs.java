package org.coopvm.examples.workload;

import java.util.Map;

/**
 * Reads typed workload arguments; a malformed value is an error naming the key.
 */
final class WorkloadArgs
{
    private WorkloadArgs()
    {
    }

    static long longArg(final Map<String, String> args, final String key, final long defaultValue)
    {
        final String value = args.get(key);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("workload argument " + key + "=" + value + " is not a number", ex);
        }
    }

    static int intArg(final Map<String, String> args, final String key, final int defaultValue)
    {
        return Math.toIntExact(longArg(args, key, defaultValue));
    }

    static String required(final Map<String, String> args, final String key)
    {
        final String value = args.get(key);
        if (value == null || value.isBlank())
        {
            throw new IllegalArgumentException("workload argument " + key + " is required");
        }
        return value.trim();
    }
}
