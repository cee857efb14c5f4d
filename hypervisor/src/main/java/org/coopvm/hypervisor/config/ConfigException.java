package org.coopvm.hypervisor.config;

/**
 * A configuration file or command-line setting that cannot be accepted. The message names the
 * source and line (when there is one), the key, the offending value and what is allowed, e.g.
 * {@code pingpong-a.cfg:3: memory = 0 is out of range 1..1048576 (MiB)}.
 *
 * <p>Thread safety: immutable.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String key;
    private final int line;

    /**
     * @param source  the file name or "command line"; used as the message prefix.
     * @param line    1-based line number, or 0 when the setting has no line.
     * @param key     the key at fault, or null for a syntax error before any key.
     * @param problem what is wrong, without the location prefix.
     */
    public ConfigException(final String source, final int line, final String key, final String problem)
    {
        super(location(source, line) + problem);
        this.key = key;
        this.line = line;
    }

    /**
     * @return the key at fault, or null for a syntax error that has no key.
     */
    public String key()
    {
        return key;
    }

    /**
     * @return the 1-based line of the setting at fault, or 0 when it came from outside a file.
     */
    public int line()
    {
        return line;
    }

    private static String location(final String source, final int line)
    {
        return line > 0 ? source + ":" + line + ": " : source + ": ";
    }
}
