package org.coopvm.examples.workload;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed workload arguments; a malformed, out-of-range or unknown argument is an error
 * naming the key.
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

    /**
     * @return the whole number under {@code key}, or the default, checked to be in {@code min..max}.
     */
    static long longArg(final Map<String, String> args, final String key, final long defaultValue, final long min, final long max)
    {
        final long value = longArg(args, key, defaultValue);
        if (value < min || value > max)
        {
            throw new IllegalArgumentException("workload argument " + key + "=" + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    /**
     * @return the number under {@code key}, or the default, checked to be finite and in {@code min..max}.
     */
    static double doubleArg(final Map<String, String> args, final String key, final double defaultValue, final double min,
        final double max)
    {
        final String value = args.get(key);
        return value == null ? defaultValue : parseDouble(key, value, min, max);
    }

    /**
     * @return the comma-separated numbers under {@code key} (required), each in {@code min..max}.
     */
    static double[] doubleList(final Map<String, String> args, final String key, final double min, final double max)
    {
        final String[] parts = required(args, key).split(",", -1);
        final double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            values[i] = parseDouble(key, parts[i], min, max);
        }
        return values;
    }

    static boolean booleanArg(final Map<String, String> args, final String key, final boolean defaultValue)
    {
        final String value = args.get(key);
        if (value == null)
        {
            return defaultValue;
        }
        return switch (value.trim())
        {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("workload argument " + key + "=" + value + " is not true or false");
        };
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

    /**
     * @param args     the arguments.
     * @param known    the keys the workload reads.
     * @param workload its name, for the message.
     * @throws IllegalArgumentException naming the first unknown key (a typo must not pass silently).
     */
    static void requireKnown(final Map<String, String> args, final Set<String> known, final String workload)
    {
        for (final String key : new TreeSet<>(args.keySet()))
        {
            if (!known.contains(key))
            {
                throw new IllegalArgumentException("workload argument " + key + " is unknown to " + workload +
                    " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /** @return the number without a trailing ".0" or an exponent: 64, 0.5, 0.000001. */
    static String plain(final double value)
    {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private static double parseDouble(final String key, final String text, final double min, final double max)
    {
        final double value;
        try
        {
            value = Double.parseDouble(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("workload argument " + key + "=" + text + " is not a number", ex);
        }
        if (!(value >= min && value <= max))
        {
            throw new IllegalArgumentException("workload argument " + key + "=" + text.trim() + " is outside " + plain(min) + ".." +
                plain(max));
        }
        return value;
    }
}
