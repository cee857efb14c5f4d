package org.coopvm.balloon.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A typed, documented policy parameter ({@code key=value} on {@code coop balloon-policy set}):
 * its key, default, range and how its text is parsed. Make them with {@link #decimal},
 * {@link #integer} or {@link #kibMap}; read the value with {@link PolicyParameters#get}.
 *
 * <p>Thread safety: immutable.
 *
 * @param <T> the value's type.
 */
public final class PolicyParameter<T>
{
    private final String key;
    private final T defaultValue;
    private final String range;
    private final String description;
    private final Function<String, T> parser;

    private PolicyParameter(final String key, final T defaultValue, final String range, final String description,
        final Function<String, T> parser)
    {
        this.key = Objects.requireNonNull(key, "key");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.range = range;
        this.description = description;
        this.parser = parser;
    }

    /**
     * A real number in {@code [min, max]}.
     *
     * @param key          the key.
     * @param defaultValue the default.
     * @param min          the least value.
     * @param max          the largest value.
     * @param description  what it does.
     * @return the parameter.
     */
    public static PolicyParameter<Double> decimal(final String key, final double defaultValue, final double min,
        final double max, final String description)
    {
        final String range = "[" + min + ", " + max + "]";
        return new PolicyParameter<>(key, defaultValue, range, description, text ->
        {
            final double value;
            try
            {
                value = Double.parseDouble(text.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new PolicyConfigException(key, key + ": '" + text + "' is not a number in " + range);
            }
            if (!(value >= min && value <= max))
            {
                throw new PolicyConfigException(key, key + ": " + text + " outside " + range);
            }
            return value;
        });
    }

    /**
     * A whole number in {@code [min, max]}.
     *
     * @param key          the key (say the unit in it: {@code reserve_kib}, {@code period_ms}).
     * @param defaultValue the default.
     * @param min          the least value.
     * @param max          the largest value.
     * @param description  what it does.
     * @return the parameter.
     */
    public static PolicyParameter<Long> integer(final String key, final long defaultValue, final long min,
        final long max, final String description)
    {
        final String range = "[" + min + ", " + max + "]";
        return new PolicyParameter<>(key, defaultValue, range, description, text ->
        {
            final long value = parseLong(key, text, range);
            if (value < min || value > max)
            {
                throw new PolicyConfigException(key, key + ": " + text + " outside " + range);
            }
            return value;
        });
    }

    /**
     * A map from domain name or domid to KiB, written {@code name:kib,name:kib}.
     *
     * @param key         the key.
     * @param maxKib      the largest KiB value.
     * @param description what it does.
     * @return the parameter (default: empty).
     */
    public static PolicyParameter<Map<String, Long>> kibMap(final String key, final long maxKib, final String description)
    {
        final String range = "name:kib,... with kib in [0, " + maxKib + "]";
        return new PolicyParameter<>(key, Map.of(), range, description, text ->
        {
            final Map<String, Long> map = new LinkedHashMap<>();
            for (final String entry : text.split(",", -1))
            {
                final int colon = entry.indexOf(':');
                final String domain = colon < 0 ? "" : entry.substring(0, colon).trim();
                if (domain.isEmpty() || map.containsKey(domain))
                {
                    throw new PolicyConfigException(key, key + ": entry '" + entry + "' is not a new name:kib (" + range + ")");
                }
                final long kib = parseLong(key, entry.substring(colon + 1), range);
                if (kib < 0 || kib > maxKib)
                {
                    throw new PolicyConfigException(key, key + ": " + domain + " " + kib + " outside [0, " + maxKib + "]");
                }
                map.put(domain, kib);
            }
            return Collections.unmodifiableMap(map);
        });
    }

    /** @return the key. */
    public String key()
    {
        return key;
    }

    /** @return the default value. */
    public T defaultValue()
    {
        return defaultValue;
    }

    /** @return the accepted values, for help and error messages. */
    public String range()
    {
        return range;
    }

    /** @return what the parameter does. */
    public String description()
    {
        return description;
    }

    /**
     * @param text the value as the user wrote it.
     * @return the value.
     * @throws PolicyConfigException naming the key and the range when the text is not a valid value.
     */
    public T parse(final String text)
    {
        return parser.apply(text);
    }

    @Override
    public String toString()
    {
        return key + " (default " + defaultValue + ", " + range + ")";
    }

    private static long parseLong(final String key, final String text, final String range)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new PolicyConfigException(key, key + ": '" + text + "' is not a whole number in " + range);
        }
    }
}
