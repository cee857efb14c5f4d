package org.coopvm.guest.coop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A cooperation policy's parameters as the domain gave them ({@code coop_policy_args}), read
 * through typed accessors that name the parameter, its default and its range. Each read declares
 * the parameter ({@link #declared()}), so the catalog can refuse a parameter nobody reads and say
 * which ones exist.
 *
 * <p>Thread safety: one thread (the one configuring the policy).
 */
public final class CooperationArgs
{
    private final Map<String, String> given;
    private final List<Parameter> declared = new ArrayList<>();

    /** @param given key to value, as written (copied). */
    public CooperationArgs(final Map<String, String> given)
    {
        this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }

    /**
     * A declared parameter, for error messages and documentation.
     *
     * @param key          its name.
     * @param defaultValue its default, as text.
     * @param range        what it accepts, e.g. {@code 0.0..1.0}.
     * @param description  what it does.
     */
    public record Parameter(String key, String defaultValue, String range, String description)
    {
    }

    /**
     * @param key          the parameter.
     * @param defaultValue its value when not given.
     * @param min          the least value.
     * @param max          the greatest value.
     * @param description  what it does.
     * @return the value given, or the default.
     * @throws CooperationConfigException when the value is not a number or outside min..max.
     */
    public double decimal(final String key, final double defaultValue, final double min, final double max, final String description)
    {
        return read(key, defaultValue, min, max, description, Double::valueOf);
    }

    /**
     * @param key          the parameter.
     * @param defaultValue its value when not given.
     * @param min          the least value.
     * @param max          the greatest value.
     * @param description  what it does.
     * @return the value given, or the default.
     * @throws CooperationConfigException when the value is not a whole number or outside min..max.
     */
    public long integer(final String key, final long defaultValue, final long min, final long max, final String description)
    {
        return read(key, defaultValue, min, max, description, Long::valueOf);
    }

    private <T extends Comparable<T>> T read(final String key, final T defaultValue, final T min, final T max, final String description,
        final Function<String, T> parse)
    {
        final String range = min + ".." + max;
        declared.add(new Parameter(key, String.valueOf(defaultValue), range, description));
        final String text = given.get(key);
        if (text == null)
        {
            return defaultValue;
        }
        final T value;
        try
        {
            value = parse.apply(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw outOfRange(key, text, range);
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0)
        {
            throw outOfRange(key, text, range);
        }
        return value;
    }

    /** @return the parameters read so far, in order. */
    public List<Parameter> declared()
    {
        return List.copyOf(declared);
    }

    /** @return what the domain gave, key to value. */
    public Map<String, String> given()
    {
        return given;
    }

    /**
     * @param policy the policy's name, for the message.
     * @throws CooperationConfigException naming the first given parameter nobody read, and those that exist.
     */
    public void rejectUnknown(final String policy)
    {
        for (final String key : given.keySet())
        {
            if (declared.stream().noneMatch(parameter -> parameter.key().equals(key)))
            {
                throw new CooperationConfigException(key, "cooperation policy " + policy + " has no parameter '" + key +
                    "' (it has: " + String.join(", ", declared.stream().map(Parameter::key).toList()) + ")");
            }
        }
    }

    private static CooperationConfigException outOfRange(final String key, final String text, final String range)
    {
        return new CooperationConfigException(key, key + " = " + text + " is not a number in " + range);
    }
}
