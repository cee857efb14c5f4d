package org.coopvm.hypervisor.config;

import java.util.List;

/**
 * One {@code key = value} of an xl.cfg-style file, with where it came from. The value is a
 * {@link String}, a {@link Long} or a {@link List} of those.
 *
 * @param key    the key as written.
 * @param value  String, Long, or List of String/Long.
 * @param source the file name or "command line".
 * @param line   1-based line of the key, or 0 for a command-line override.
 *
 * <p>Thread safety: immutable.
 */
public record Setting(String key, Object value, String source, int line)
{
    /**
     * @param problem what is wrong with this setting.
     * @return an exception whose message names this setting's source, line and key.
     */
    public ConfigException error(final String problem)
    {
        return new ConfigException(source, line, key, problem);
    }

    /**
     * @return the value as xl.cfg would write it: strings quoted, lists in brackets.
     */
    public String valueText()
    {
        return render(value);
    }

    private static String render(final Object value)
    {
        if (value instanceof String s)
        {
            return "\"" + s + "\"";
        }
        if (value instanceof List<?> list)
        {
            return list.stream().map(Setting::render).toList().toString();
        }
        return String.valueOf(value);
    }
}
