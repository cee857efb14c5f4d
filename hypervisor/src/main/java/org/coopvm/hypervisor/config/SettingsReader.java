package org.coopvm.hypervisor.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Typed, range-checked access to parsed {@link Setting}s for one kind of file. Creating it
 * rejects keys the file kind does not know, naming the key and its line; each accessor rejects
 * a value of the wrong type or out of range, naming the key, the value and what is allowed.
 *
 * <p>Thread safety: confined to the thread building one config record.
 */
final class SettingsReader
{
    private final Map<String, Setting> settings;
    private final String source;

    SettingsReader(final Map<String, Setting> settings, final String source, final Set<String> knownKeys)
    {
        this.settings = settings;
        this.source = source;
        for (final Setting setting : settings.values())
        {
            if (!knownKeys.contains(setting.key()))
            {
                throw setting.error("unknown key '" + setting.key() + "' (known keys: " +
                    String.join(", ", knownKeys.stream().sorted().toList()) + ")");
            }
        }
    }

    boolean has(final String key)
    {
        return settings.containsKey(key);
    }

    Setting setting(final String key)
    {
        return settings.get(key);
    }

    ConfigException missing(final String key, final String what)
    {
        return new ConfigException(source, 0, key, "required key '" + key + "' is missing (" + what + ")");
    }

    long integer(final String key, final long defaultValue, final long min, final long max, final String unit)
    {
        final Setting setting = settings.get(key);
        return setting == null ? defaultValue : checkedInteger(setting, min, max, unit);
    }

    long requiredInteger(final String key, final long min, final long max, final String unit)
    {
        final Setting setting = settings.get(key);
        if (setting == null)
        {
            throw missing(key, "an integer " + min + ".." + max + unitSuffix(unit));
        }
        return checkedInteger(setting, min, max, unit);
    }

    /**
     * An integer setting checked by the record it goes into: {@code apply} builds the new value from
     * the current one and throws {@link IllegalArgumentException} naming the value and the range,
     * which becomes the error, after the file, line, key and value.
     *
     * @param key     the key.
     * @param current the value so far (returned when the key is not set).
     * @param apply   makes the new value from {@code current} and the setting.
     * @param <T>     the value's type.
     * @return the new value.
     */
    <T> T checked(final String key, final T current, final BiFunction<T, Long, T> apply)
    {
        final Setting setting = settings.get(key);
        if (setting == null)
        {
            return current;
        }
        if (!(setting.value() instanceof Long value))
        {
            throw setting.error(key + " = " + setting.valueText() + " must be an integer");
        }
        try
        {
            return apply.apply(current, value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw setting.error(key + " = " + value + ": " + ex.getMessage());
        }
    }

    /**
     * @param value a setting's value.
     * @return it as an int, held at the int range (a value that far out is out of every int range anyway).
     */
    static int toInt(final long value)
    {
        return Math.clamp(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    String string(final String key, final String defaultValue)
    {
        final Setting setting = settings.get(key);
        return setting == null ? defaultValue : checkedString(setting);
    }

    String requiredString(final String key, final String what)
    {
        final Setting setting = settings.get(key);
        if (setting == null)
        {
            throw missing(key, what);
        }
        return checkedString(setting);
    }

    List<String> stringList(final String key)
    {
        final Setting setting = settings.get(key);
        if (setting == null)
        {
            return List.of();
        }
        if (!(setting.value() instanceof List<?> items))
        {
            throw setting.error(key + " = " + setting.valueText() + " must be a list of strings, e.g. [\"a=1\", \"b\"]");
        }
        final List<String> strings = new ArrayList<>(items.size());
        for (final Object item : items)
        {
            if (!(item instanceof String s) || s.isEmpty())
            {
                throw setting.error(key + " = " + setting.valueText() + " must hold non-empty quoted strings only");
            }
            strings.add(s);
        }
        return List.copyOf(strings);
    }

    <E extends Enum<E>> E choice(final String key, final Class<E> type, final E defaultValue)
    {
        final Setting setting = settings.get(key);
        if (setting == null)
        {
            return defaultValue;
        }
        final String text = checkedString(setting);
        for (final E constant : type.getEnumConstants())
        {
            if (configName(constant).equals(text))
            {
                return constant;
            }
        }
        throw setting.error(key + " = " + setting.valueText() + " is not allowed: use one of " + choices(type));
    }

    /**
     * @return the name a config file uses for an enum constant: lower case, '-' for '_'.
     */
    static String configName(final Enum<?> constant)
    {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static <E extends Enum<E>> String choices(final Class<E> type)
    {
        final List<String> names = new ArrayList<>();
        for (final E constant : type.getEnumConstants())
        {
            names.add("\"" + configName(constant) + "\"");
        }
        return String.join(", ", names);
    }

    private static long checkedInteger(final Setting setting, final long min, final long max, final String unit)
    {
        if (!(setting.value() instanceof Long value))
        {
            throw setting.error(setting.key() + " = " + setting.valueText() + " must be an integer " + min + ".." + max +
                unitSuffix(unit));
        }
        if (value < min || value > max)
        {
            throw setting.error(setting.key() + " = " + value + " is out of range " + min + ".." + max + unitSuffix(unit));
        }
        return value;
    }

    private static String checkedString(final Setting setting)
    {
        if (!(setting.value() instanceof String value))
        {
            throw setting.error(setting.key() + " = " + setting.valueText() + " must be a quoted string");
        }
        return value;
    }

    private static String unitSuffix(final String unit)
    {
        return unit.isEmpty() ? "" : " (" + unit + ")";
    }
}
