package org.coopvm.cli.demo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's live view as a user sees it: xentop-like columns on a terminal, one plain line per guest otherwise. */
class DemoTableTest
{
    private static final DemoFrame FRAME = new DemoFrame(83_500, 60_000, "mom period_ms=2000", 1024 * 1024, 200 * 1024,
        600L * 1024 * 1024, List.of(
            new DemoRow("cache", 1, 300 * 1024, 288 * 1024, 12 * 1024 + 512, 0.8125, "tracking",
                "HOST_PRESSURE: host free 18.0% < 20.0%: used 250000 KiB, keep 18.0% free of 307200 KiB -> 294912 KiB"),
            new DemoRow("hog", 2, 256 * 1024, 0, -1, Double.NaN, "", ""),
            new DemoRow("idle", 3, 64 * 1024, 64 * 1024, 60 * 1024, Double.NaN, "reached:0.4s", "NO_CHANGE: no host pressure, already at maxmem")));

    @Test
    void screenHasTheHostHeaderAColumnHeaderAndARowPerGuestInMiB()
    {
        final List<String> lines = DemoTable.screen(FRAME, 200);

        assertThat(lines.get(0)).isEqualTo("coop demo - 1:23 of 1:00 - policy mom period_ms=2000, pool 1024.0 MiB, 200.0 MiB free " +
            "(19.5%), guests resident 600.0 MiB");
        assertThat(lines.get(2)).containsSubsequence("NAME", "ID", "MEM(MiB)", "TARGET(MiB)", "FREE(MiB)", "HIT(%)",
            "LAST CHANGE", "LAST POLICY DECISION");
        assertThat(lines.get(3)).matches("\\s+cache\\s+1\\s+300\\.0\\s+288\\.0\\s+12\\.5\\s+81\\.3\\s+tracking\\s+HOST_PRESSURE: host free 18\\.0%.*");
        assertThat(lines.get(4)).as("unknown figures show as '-'").matches("\\s+hog\\s+2\\s+256\\.0\\s+-\\s+-\\s+-\\s+-\\s+-");
        assertThat(lines).hasSize(6);
    }

    @Test
    void screenLinesAreCutToTheTerminalWidth()
    {
        final List<String> lines = DemoTable.screen(FRAME, 80);

        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        assertThat(lines.get(3)).endsWith("~");
    }

    @Test
    void plainOutputIsOneStampedLinePerGuestAfterTheHostLineNeverCut()
    {
        final List<String> lines = DemoTable.plain(FRAME);

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("[ 83 s] host: policy mom period_ms=2000, pool 1024.0 MiB");
        assertThat(lines.get(1)).isEqualTo("[ 83 s] cache: mem 300.0 MiB, target 288.0 MiB, free 12.5 MiB, hit ratio 81.3%, " +
            "last change tracking, last decision: " +
            "HOST_PRESSURE: host free 18.0% < 20.0%: used 250000 KiB, keep 18.0% free of 307200 KiB -> 294912 KiB");
        assertThat(lines.get(2)).isEqualTo("[ 83 s] hog: mem 256.0 MiB, target -, free -, hit ratio -, last change -, last decision: -");
        assertThat(lines).noneMatch(line -> line.contains("\033"));
    }
}
