package org.coopvm.balloon.guest;

/**
 * A KiB count parsed from a xenstore value such as {@code memory/target}: a decimal string
 * (Linux's {@code watch_target} reads it with {@code "%llu"}), or the typed reason it was
 * rejected. Parsing never throws.
 *
 * <p>Thread safety: immutable.
 *
 * @param kib       the value, {@code >= 0}, or {@code -1} when rejected.
 * @param rejection {@link KibRejection#NONE}, or why the text was not a KiB count.
 */
public record KibValue(long kib, KibRejection rejection)
{
    /**
     * @param text the value as written, e.g. {@code "1048576"}; {@code null} when the node is gone.
     * @return the count, or the reason it is not one.
     */
    public static KibValue parse(final CharSequence text)
    {
        if (text == null || text.isEmpty())
        {
            return rejected(KibRejection.EMPTY);
        }
        if (text.charAt(0) == '-')
        {
            return isDigits(text, 1) ? rejected(KibRejection.NEGATIVE) : rejected(KibRejection.NOT_A_NUMBER);
        }
        return isDigits(text, 0) ? digits(text) : rejected(KibRejection.NOT_A_NUMBER);
    }

    /** @return whether the text was a KiB count. */
    public boolean isValid()
    {
        return rejection == KibRejection.NONE;
    }

    private static KibValue digits(final CharSequence text)
    {
        long value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final int digit = text.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10)
            {
                return rejected(KibRejection.OVERFLOW);
            }
            value = value * 10 + digit;
        }
        return new KibValue(value, KibRejection.NONE);
    }

    private static boolean isDigits(final CharSequence text, final int from)
    {
        if (from >= text.length())
        {
            return false;
        }
        for (int i = from; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static KibValue rejected(final KibRejection rejection)
    {
        return new KibValue(-1, rejection);
    }
}
