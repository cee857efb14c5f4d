package org.coopvm.rings;

import org.coopvm.rings.testing.ChildJvm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage page and the balloon stats carry {@code System.nanoTime()} of one process for another
 * to compare with its own. That holds because HotSpot on Linux returns {@code CLOCK_MONOTONIC}
 * as is (no per-process origin): a child JVM's reading falls between two of the parent's.
 */
class MonotonicClockAcrossProcessesTest
{
    private static final Pattern READING = Pattern.compile("nanoTime=(-?\\d+)");

    @Test
    void aChildJvmsNanoTimeIsOnTheParentsClock() throws Exception
    {
        final long before = System.nanoTime();
        final long childNs;
        try (ChildJvm child = ChildJvm.start(PrintNanoTime.class))
        {
            child.awaitSuccess(Duration.ofSeconds(60));
            final Matcher matcher = READING.matcher(child.output());
            assertThat(matcher.find()).as(child.output()).isTrue();
            childNs = Long.parseLong(matcher.group(1));
        }
        final long after = System.nanoTime();

        assertThat(childNs).isBetween(before, after);
    }

    /** Prints its {@code System.nanoTime()}. */
    public static final class PrintNanoTime
    {
        private PrintNanoTime()
        {
        }

        /** @param args none. */
        public static void main(final String[] args)
        {
            System.out.println("nanoTime=" + System.nanoTime());
        }
    }
}
