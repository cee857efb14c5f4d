package org.coopvm.rings.xenbus;

import java.io.Serial;

/**
 * A {@code state} node held something that is not a {@link XenbusState} (an empty value,
 * non-digits, an unknown code). Peers write these nodes, so this is bad input, not a bug.
 *
 * <p>Thread safety: immutable.
 */
public final class XenbusStateException extends IllegalArgumentException
{
    @Serial
    private static final long serialVersionUID = 1L;
    private static final int SHOWN_CHARS = 32;

    private final String raw;

    /**
     * @param raw the value (kept shortened to {@value #SHOWN_CHARS} characters).
     */
    public XenbusStateException(final String raw)
    {
        super("not a xenbus state: '" + shorten(raw) + "'");
        this.raw = shorten(raw);
    }

    /** @return the offending value, shortened. */
    public String raw()
    {
        return raw;
    }

    private static String shorten(final String raw)
    {
        return raw.length() <= SHOWN_CHARS ? raw : raw.substring(0, SHOWN_CHARS) + "...";
    }
}
