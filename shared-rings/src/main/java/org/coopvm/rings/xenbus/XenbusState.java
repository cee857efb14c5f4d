package org.coopvm.rings.xenbus;

/**
 * The state of one end of a split device, as each end writes it in its {@code state} node: Xen's
 * {@code enum xenbus_state} ({@code io/xenbus.h}), with the same codes, written as a decimal
 * string.
 *
 * <p>Thread safety: immutable.
 */
public enum XenbusState
{
    /** 0: not known (no node, or not yet read). */
    UNKNOWN(0),
    /** 1: the toolstack created the device; the end is setting up. */
    INITIALISING(1),
    /** 2: the backend is ready for the frontend's details (ring refs, ports). */
    INIT_WAIT(2),
    /** 3: the frontend has published its details. */
    INITIALISED(3),
    /** 4: the device is in use. */
    CONNECTED(4),
    /** 5: the end is shutting the device down. */
    CLOSING(5),
    /** 6: the end has released the device. */
    CLOSED(6),
    /** 7: the backend is being reconfigured. */
    RECONFIGURING(7),
    /** 8: the reconfiguration is done. */
    RECONFIGURED(8);

    /** Longest decimal text {@link #parse} looks at (more is garbage). */
    public static final int MAX_TEXT_LENGTH = 10;

    private static final XenbusState[] BY_CODE = values();

    private final int code;

    XenbusState(final int code)
    {
        this.code = code;
    }

    /** @return Xen's code. */
    public int code()
    {
        return code;
    }

    /** @return the value of a {@code state} node in this state: the code in decimal. */
    public String text()
    {
        return Integer.toString(code);
    }

    /**
     * @param code Xen's code.
     * @return the state.
     * @throws XenbusStateException when Xen has no state with that code.
     */
    public static XenbusState fromCode(final long code)
    {
        if (code < 0 || code >= BY_CODE.length)
        {
            throw new XenbusStateException(Long.toString(code));
        }
        return BY_CODE[(int)code];
    }

    /**
     * Parses a {@code state} node's value (untrusted when the other end wrote it): decimal digits
     * only, at most {@link #MAX_TEXT_LENGTH}, naming a known state.
     *
     * @param text the node's value.
     * @return the state.
     * @throws XenbusStateException naming the (shortened) value when it is not a state.
     */
    public static XenbusState parse(final String text)
    {
        if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH)
        {
            throw new XenbusStateException(text);
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) < '0' || text.charAt(i) > '9')
            {
                throw new XenbusStateException(text);
            }
        }
        return fromCode(Long.parseLong(text));
    }
}
