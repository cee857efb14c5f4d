package org.coopvm.balloon.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A policy's parameter values, parsed and range-checked from {@code key=value} arguments against
 * the parameters its factory declares. Unknown keys, repeated keys and bad values are
 * {@link PolicyConfigException}s naming the key.
 *
 * <p>Thread safety: immutable.
 */
public final class PolicyParameters
{
    private final Map<String, Object> values;

    private PolicyParameters(final Map<String, Object> values)
    {
        this.values = values;
    }

    /**
     * @param policy     the policy's name, for messages.
     * @param parameters the parameters the policy takes.
     * @param arguments  {@code key=value} strings.
     * @return every declared parameter's value: the argument's, else the default.
     * @throws PolicyConfigException on a malformed argument, an unknown or repeated key, or a bad value.
     */
    public static PolicyParameters parse(final String policy, final List<PolicyParameter<?>> parameters,
        final List<String> arguments)
    {
        final Map<String, PolicyParameter<?>> byKey = new LinkedHashMap<>();
        final Map<String, Object> values = new LinkedHashMap<>();
        for (final PolicyParameter<?> parameter : parameters)
        {
            byKey.put(parameter.key(), parameter);
            values.put(parameter.key(), parameter.defaultValue());
        }
        final Map<String, String> seen = new LinkedHashMap<>();
        for (final String argument : arguments)
        {
            final int equals = argument.indexOf('=');
            if (equals <= 0)
            {
                throw new PolicyConfigException(argument, "'" + argument + "' is not key=value");
            }
            final String key = argument.substring(0, equals).trim();
            final PolicyParameter<?> parameter = byKey.get(key);
            if (parameter == null)
            {
                throw new PolicyConfigException(key, "unknown parameter '" + key + "' for policy " + policy +
                    "; it takes: " + String.join(", ", byKey.keySet()));
            }
            if (seen.put(key, argument) != null)
            {
                throw new PolicyConfigException(key, key + " given twice");
            }
            values.put(key, parameter.parse(argument.substring(equals + 1)));
        }
        return new PolicyParameters(Collections.unmodifiableMap(values));
    }

    /**
     * @param parameter a parameter the policy declared.
     * @param <T>       its type.
     * @return its value.
     * @throws IllegalArgumentException when the policy did not declare it.
     */
    public <T> T get(final PolicyParameter<T> parameter)
    {
        final Object value = values.get(parameter.key());
        if (value == null)
        {
            throw new IllegalArgumentException("parameter " + parameter.key() + " was not declared");
        }
        @SuppressWarnings("unchecked")
        final T typed = (T)value;
        return typed;
    }

    /** @return every key with its value, in declaration order. */
    public Map<String, Object> values()
    {
        return values;
    }

    /** @return every key with its value as {@code key=value} would give it, in declaration order. */
    public Map<String, String> texts()
    {
        final Map<String, String> texts = new LinkedHashMap<>();
        values.forEach((key, value) -> texts.put(key, render(value)));
        return texts;
    }

    @Override
    public String toString()
    {
        return texts().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String render(final Object value)
    {
        if (value instanceof Map<?, ?> map)
        {
            return map.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }
}
