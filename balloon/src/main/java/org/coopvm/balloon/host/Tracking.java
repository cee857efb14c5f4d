package org.coopvm.balloon.host;

import org.coopvm.hypervisor.api.ConvergenceOutcome;

/**
 * One change of a domain's {@code memory/target} being tracked: what was asked, where the domain
 * started, the floor in force then, and how close it has come. The effective target is the
 * request rounded down to a page (as the guest's driver rounds it), clamped to the domain's max
 * pages (read at every look, since {@code mem-max} may change it), else raised to the floor.
 *
 * <p>Thread safety: the tracker's thread only.
 */
final class Tracking
{
    static final long PAGE_KIB = 4;

    private final String text;
    private final long requestedKib;
    private final long startNs;
    private final long startPages;
    private final long floorKib;
    private final String floorSource;
    private long bestDistance = Long.MAX_VALUE;
    private long startDistance = -1;

    /**
     * @param text         the value written, as text.
     * @param requestedKib that value in KiB.
     * @param startNs      when the change was seen (tracker clock).
     * @param startPages   the domain's populated pages then.
     * @param floorKib     the floor then: minmem, or the guest's declared floor from fresh stats when higher.
     * @param floorSource  which of the two it is, for the report.
     */
    Tracking(final String text, final long requestedKib, final long startNs, final long startPages,
        final long floorKib, final String floorSource)
    {
        this.text = text;
        this.requestedKib = requestedKib;
        this.startNs = startNs;
        this.startPages = startPages;
        this.floorKib = floorKib;
        this.floorSource = floorSource;
    }

    String text()
    {
        return text;
    }

    long requestedKib()
    {
        return requestedKib;
    }

    long startNs()
    {
        return startNs;
    }

    long startPages()
    {
        return startPages;
    }

    /**
     * @param maxPages the domain's max pages now.
     * @return the pages the domain is held to.
     */
    long effectivePages(final long maxPages)
    {
        final long requested = requestedKib / PAGE_KIB;
        if (requested > maxPages)
        {
            return maxPages;
        }
        return Math.max(requested, floorPages());
    }

    /**
     * @param maxPages the domain's max pages now.
     * @return {@link ConvergenceOutcome#ABOVE_MAXMEM}, {@link ConvergenceOutcome#BELOW_FLOOR}, or
     * {@link ConvergenceOutcome#REACHED} when the request was not clamped.
     */
    ConvergenceOutcome clamp(final long maxPages)
    {
        final long requested = requestedKib / PAGE_KIB;
        if (requested > maxPages)
        {
            return ConvergenceOutcome.ABOVE_MAXMEM;
        }
        return requested < floorPages() ? ConvergenceOutcome.BELOW_FLOOR : ConvergenceOutcome.REACHED;
    }

    /**
     * @param maxPages the domain's max pages now.
     * @return what the clamp did, "" when none.
     */
    String clampDetail(final long maxPages)
    {
        return switch (clamp(maxPages))
        {
            case ABOVE_MAXMEM -> "requested " + requestedKib + " KiB is above max pages (" + maxPages * PAGE_KIB +
                " KiB): held at " + maxPages * PAGE_KIB + " KiB";
            case BELOW_FLOOR -> "requested " + requestedKib + " KiB is below the floor (" + floorSource + " " + floorKib +
                " KiB): held at " + effectivePages(maxPages) * PAGE_KIB + " KiB";
            default -> "";
        };
    }

    /**
     * Notes how far the domain is from the effective target now.
     *
     * @param distance pages between the domain's populated pages and the effective target.
     */
    void observe(final long distance)
    {
        if (startDistance < 0)
        {
            startDistance = distance;
        }
        bestDistance = Math.min(bestDistance, distance);
    }

    /** @return whether the domain ever came closer to the target than it was when the change was seen. */
    boolean progressed()
    {
        return startDistance >= 0 && bestDistance < startDistance;
    }

    /** @return whether the domain was already within one page of the target when the change was seen. */
    boolean reachedAtStart()
    {
        return startDistance >= 0 && startDistance <= 1;
    }

    private long floorPages()
    {
        return (floorKib + PAGE_KIB - 1) / PAGE_KIB;
    }
}
