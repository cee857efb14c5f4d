package org.coopvm.hypervisor.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the syntax of Xen's xl.cfg files: {@code key = value} settings, one per line (or
 * separated by {@code ;}), {@code #} comments, strings in double or single quotes, decimal
 * integers, and lists {@code [ "a", "b" ]} that may span lines. It knows no keys: the
 * records ({@link DomainConfig}, {@link HostConfig}) check names, types and ranges.
 *
 * <p>Unlike xl, a key set twice is an error rather than "last one wins".
 *
 * <p>Thread safety: stateless entry point; each call uses its own scanner.
 */
public final class XlConfigParser
{
    private XlConfigParser()
    {
    }

    /**
     * @param text   the file's contents.
     * @param source the file name, used in error messages.
     * @return the settings in file order, by key.
     * @throws ConfigException on a syntax error or a repeated key, naming the line.
     */
    public static Map<String, Setting> parse(final String text, final String source)
    {
        return new Scanner(text, source).settings();
    }

    /**
     * Parse one value as written on a command line ({@code 512}, {@code "a b"}, {@code [1, 2]});
     * a bare word that is not a number is taken as a string.
     *
     * @param key    the key it is for.
     * @param text   the value text.
     * @return a setting with source "command line" and line 0.
     */
    public static Setting parseOverride(final String key, final String text)
    {
        final String trimmed = text.strip();
        final boolean structured = trimmed.startsWith("\"") || trimmed.startsWith("'") ||
            trimmed.startsWith("[") || trimmed.matches("-?[0-9]+");
        final Object value = structured ? new Scanner(trimmed, "command line").singleValue(key) : trimmed;
        return new Setting(key, value, "command line", 0);
    }

    private static final class Scanner
    {
        private final String text;
        private final String source;
        private int pos;
        private int line = 1;

        Scanner(final String text, final String source)
        {
            this.text = text;
            this.source = source;
        }

        Map<String, Setting> settings()
        {
            final Map<String, Setting> settings = new LinkedHashMap<>();
            skipBlank(true);
            while (!atEnd())
            {
                final Setting setting = setting();
                final Setting previous = settings.putIfAbsent(setting.key(), setting);
                if (previous != null)
                {
                    throw setting.error("key '" + setting.key() + "' is set twice (first on line " + previous.line() + ")");
                }
                endOfSetting(setting.key());
                skipBlank(true);
            }
            return settings;
        }

        Object singleValue(final String key)
        {
            final Object value = value(key);
            skipBlank(false);
            if (!atEnd())
            {
                throw error(key, "unexpected '" + peek() + "' after the value");
            }
            return value;
        }

        private Setting setting()
        {
            final int keyLine = line;
            final String key = key();
            skipBlank(false);
            if (atEnd() || peek() != '=')
            {
                throw error(key, "expected '=' after key '" + key + "'");
            }
            pos++;
            skipBlank(false);
            return new Setting(key, value(key), source, keyLine);
        }

        private String key()
        {
            final int start = pos;
            while (!atEnd() && isKeyChar(peek(), pos == start))
            {
                pos++;
            }
            if (pos == start)
            {
                throw error(null, "expected a key, found '" + peek() + "'");
            }
            return text.substring(start, pos);
        }

        private Object value(final String key)
        {
            if (atEnd() || peek() == '\n')
            {
                throw error(key, "missing value for '" + key + "'");
            }
            final char c = peek();
            if (c == '"' || c == '\'')
            {
                return string(key, c);
            }
            if (c == '[')
            {
                return list(key);
            }
            if (c == '-' || Character.isDigit(c))
            {
                return integer(key);
            }
            throw error(key, "value of '" + key + "' must be a quoted string, an integer or a [list], found '" +
                word() + "'");
        }

        private String string(final String key, final char quote)
        {
            pos++;
            final int start = pos;
            while (!atEnd() && peek() != quote)
            {
                if (peek() == '\n')
                {
                    throw error(key, "string for '" + key + "' is not closed on its line");
                }
                pos++;
            }
            if (atEnd())
            {
                throw error(key, "string for '" + key + "' is not closed");
            }
            final String value = text.substring(start, pos);
            pos++;
            return value;
        }

        private Long integer(final String key)
        {
            final String word = word();
            try
            {
                return Long.parseLong(word);
            }
            catch (final NumberFormatException ex)
            {
                throw error(key, "value of '" + key + "' is not an integer: '" + word + "'");
            }
        }

        private List<Object> list(final String key)
        {
            pos++;
            final List<Object> items = new ArrayList<>();
            skipBlank(true);
            while (!atEnd() && peek() != ']')
            {
                final Object item = value(key);
                if (item instanceof List<?>)
                {
                    throw error(key, "lists inside lists are not supported (key '" + key + "')");
                }
                items.add(item);
                skipBlank(true);
                if (!atEnd() && peek() == ',')
                {
                    pos++;
                    skipBlank(true);
                }
                else if (!atEnd() && peek() != ']')
                {
                    throw error(key, "expected ',' or ']' in the list for '" + key + "', found '" + peek() + "'");
                }
            }
            if (atEnd())
            {
                throw error(key, "list for '" + key + "' is not closed with ']'");
            }
            pos++;
            return List.copyOf(items);
        }

        private void endOfSetting(final String key)
        {
            skipBlank(false);
            if (atEnd())
            {
                return;
            }
            final char c = peek();
            if (c != '\n' && c != ';')
            {
                throw error(key, "unexpected '" + word() + "' after the value of '" + key + "'");
            }
            pos++;
            if (c == '\n')
            {
                line++;
            }
        }

        /** Skip spaces, tabs, carriage returns and comments; newlines and ';' too if {@code newlines}. */
        private void skipBlank(final boolean newlines)
        {
            while (!atEnd())
            {
                final char c = peek();
                if (c == '#')
                {
                    while (!atEnd() && peek() != '\n')
                    {
                        pos++;
                    }
                }
                else if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == ';'))
                {
                    pos++;
                }
                else if (newlines && c == '\n')
                {
                    pos++;
                    line++;
                }
                else
                {
                    return;
                }
            }
        }

        private String word()
        {
            final int start = pos;
            while (!atEnd() && !Character.isWhitespace(peek()) && ",;]#".indexOf(peek()) < 0)
            {
                pos++;
            }
            if (pos > start)
            {
                return text.substring(start, pos);
            }
            return atEnd() ? "end of input" : String.valueOf(peek());
        }

        private static boolean isKeyChar(final char c, final boolean first)
        {
            return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && (c >= '0' && c <= '9'));
        }

        private boolean atEnd()
        {
            return pos >= text.length();
        }

        private char peek()
        {
            return text.charAt(pos);
        }

        private ConfigException error(final String key, final String problem)
        {
            return new ConfigException(source, line, key, problem);
        }
    }
}
