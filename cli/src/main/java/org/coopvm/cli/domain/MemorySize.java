package org.coopvm.cli.domain;

import org.coopvm.cli.OperationFailedException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as {@code xl mem-set} and {@code xl mem-max} read them ({@code parse_mem_size_kb}
 * in xl): a whole number with at most one unit letter, {@code b} (bytes, rounded down to KiB),
 * {@code k} (KiB), {@code m} (MiB), {@code g} (GiB) or {@code t} (TiB), in either case; no unit
 * means MiB (as xl since 4.x). Unlike xl, a negative size, a fraction, a size too large for a
 * signed 64-bit KiB count and any other text are refused with a message.
 *
 * <p>Thread safety: stateless.
 */
final class MemorySize
{
    private static final Pattern SIZE = Pattern.compile("(-?[0-9]+)([bkmgt]?)");

    private MemorySize()
    {
    }

    /**
     * @param text a size as typed, e.g. {@code 512}, {@code 512m}, {@code 1G}, {@code 262144k}.
     * @return the size in KiB.
     * @throws OperationFailedException naming the text and what is accepted.
     */
    static long parseKib(final String text)
    {
        final Matcher matcher = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches())
        {
            throw invalid(text, "not a whole number with an optional unit");
        }
        if (matcher.group(1).startsWith("-"))
        {
            throw invalid(text, "negative");
        }
        try
        {
            final long value = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2))
            {
                case "b" -> value / 1024;
                case "k" -> value;
                case "g" -> Math.multiplyExact(value, 1024L * 1024);
                case "t" -> Math.multiplyExact(value, 1024L * 1024 * 1024);
                default -> Math.multiplyExact(value, 1024L);
            };
        }
        catch (final ArithmeticException | NumberFormatException ex)
        {
            throw invalid(text, "too large");
        }
    }

    private static OperationFailedException invalid(final String text, final String why)
    {
        return new OperationFailedException("invalid memory size: '" + text + "' (" + why + "): give a whole number with an " +
            "optional unit b, k, m, g or t; no unit means MiB, as in xl");
    }
}
