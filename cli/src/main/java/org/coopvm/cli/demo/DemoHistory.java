package org.coopvm.cli.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the summary needs from the frames the demo showed: each guest's memory and cache hit
 * ratio when first and last seen, and the guests' resident memory at the start, its peak and at
 * the end. Confined to the demo's thread.
 */
final class DemoHistory
{
    /** One guest's first and last figures. */
    static final class Guest
    {
        private final String name;
        private final long firstKib;
        private long lastKib;
        private double firstHit = Double.NaN;
        private double lastHit = Double.NaN;

        Guest(final String name, final long firstKib)
        {
            this.name = name;
            this.firstKib = firstKib;
            this.lastKib = firstKib;
        }

        String name()
        {
            return name;
        }

        long firstKib()
        {
            return firstKib;
        }

        long lastKib()
        {
            return lastKib;
        }

        double firstHit()
        {
            return firstHit;
        }

        double lastHit()
        {
            return lastHit;
        }

        private void update(final DemoRow row)
        {
            lastKib = row.currentKib();
            if (!Double.isNaN(row.hitRatio()))
            {
                firstHit = Double.isNaN(firstHit) ? row.hitRatio() : firstHit;
                lastHit = row.hitRatio();
            }
        }
    }

    private final Map<Integer, Guest> guests = new LinkedHashMap<>();
    private long elapsedMs;
    private long firstResident = -1;
    private long peakResident;
    private long lastResident;
    private long firstPoolFreeKib = -1;
    private long lastPoolFreeKib;

    /** @param frame a frame just shown. */
    void add(final DemoFrame frame)
    {
        elapsedMs = frame.elapsedMs();
        if (!frame.rows().isEmpty() && firstResident < 0)
        {
            firstResident = frame.residentBytes();
            firstPoolFreeKib = frame.poolFreeKib();
        }
        peakResident = Math.max(peakResident, frame.residentBytes());
        lastResident = frame.residentBytes();
        lastPoolFreeKib = frame.poolFreeKib();
        for (final DemoRow row : frame.rows())
        {
            guests.computeIfAbsent(row.domid(), domid -> new Guest(row.name(), row.currentKib())).update(row);
        }
    }

    Iterable<Guest> guests()
    {
        return guests.values();
    }

    long elapsedMs()
    {
        return elapsedMs;
    }

    long firstResident()
    {
        return Math.max(0, firstResident);
    }

    long peakResident()
    {
        return peakResident;
    }

    long lastResident()
    {
        return lastResident;
    }

    long firstPoolFreeKib()
    {
        return Math.max(0, firstPoolFreeKib);
    }

    long lastPoolFreeKib()
    {
        return lastPoolFreeKib;
    }
}
