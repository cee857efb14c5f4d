package org.coopvm.rings.usage;

/**
 * A vCPU's scheduling priority as the usage page encodes it in a domain's credit state
 * ({@link UsageEntryDescriptor#CREDIT_STATE_OFFSET}), best first: Xen credit's {@code CSCHED_PRI_*}
 * plus PARKED (held back by the domain's cap). {@link #NONE} means the page does not say.
 *
 * <p>Thread safety: immutable.
 */
public enum CpuPriority
{
    /** Not filled (a host without a CPU scheduler, or a domain it does not know). */
    NONE(0),
    /** Woke up with credit: runs before everyone else until a tick sees it running. */
    BOOST(1),
    /** Has credit left. */
    UNDER(2),
    /** Used more than its share. */
    OVER(3),
    /** Not runnable (blocked, down). */
    IDLE(4),
    /** Runnable but held back: its domain is over its cap. */
    PARKED(5);

    private static final CpuPriority[] BY_CODE = values();

    private final int code;

    CpuPriority(final int code)
    {
        this.code = code;
    }

    /** @return its code on the page (0..5). */
    public int code()
    {
        return code;
    }

    /**
     * @param code a code read from the page.
     * @return its priority; {@link #NONE} for a code the reader does not know.
     */
    public static CpuPriority of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : NONE;
    }
}
