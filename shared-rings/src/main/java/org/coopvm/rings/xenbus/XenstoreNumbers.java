package org.coopvm.rings.xenbus;

import java.util.Optional;

/**
 * Decimal numbers as xenstore holds them ({@code ring-ref}, {@code event-channel},
 * {@code sectors}, a device directory's name), read from text another domain may have written:
 * digits only, no sign, no spaces, at most {@link #MAX_DIGITS} of them, and no larger than the
 * caller allows. Anything else is "not a number", never an exception.
 *
 * <p>Stateless; any thread.
 */
public final class XenstoreNumbers
{
    /** Most digits accepted: every value below 10^18 fits a {@code long}. */
    public static final int MAX_DIGITS = 18;

    private XenstoreNumbers()
    {
    }

    /**
     * @param text untrusted decimal text (a peer's key, a directory name), empty when missing.
     * @param max  the largest value allowed.
     * @return the value, or -1 when missing, not digits only, longer than {@link #MAX_DIGITS} or above {@code max}.
     */
    public static long decimal(final Optional<String> text, final long max)
    {
        return text.map(value -> decimal(value, max)).orElse(-1L);
    }

    /**
     * @param text untrusted decimal text.
     * @param max  the largest value allowed.
     * @return the value, or -1 when empty, not digits only, longer than {@link #MAX_DIGITS} or above {@code max}.
     */
    public static long decimal(final String text, final long max)
    {
        if (text.isEmpty() || text.length() > MAX_DIGITS || !text.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return -1;
        }
        final long value = Long.parseLong(text);
        return value > max ? -1 : value;
    }
}
