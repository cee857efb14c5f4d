package org.coopvm.perf;

import org.coopvm.perf.report.RunInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user reads in every benchmark's progress and report about failed measurements and the machine's load. */
class BenchmarkRunTest
{
    private final List<String> progress = new ArrayList<>();
    private final BenchmarkRun run = new BenchmarkRun(progress::add);

    @Test
    void aMeasurementThatThrowsIsReportedAndRecordedAndTheRunGoesOn()
    {
        final List<String> measured = new ArrayList<>();
        run.measure("first", () ->
        {
            throw new IllegalStateException("guest gone");
        });
        run.attempt("second round 2", () -> measured.add("second"));
        run.failure("third: 3 request(s) failed in the guest");

        final RunInfo info = run.finish("coop bench test --quick", "quick", List.of("a note"));

        assertThat(measured).containsExactly("second");
        assertThat(progress).containsExactly("first", "FAILED first: guest gone");
        assertThat(info.failures()).containsExactly("first: guest gone", "third: 3 request(s) failed in the guest");
        assertThat(info.command()).isEqualTo("coop bench test --quick");
        assertThat(info.notes()).containsExactly("a note");
    }

    @Test
    void theLoadNoteGivesTheLoadAtStartAndEndAndWhatItDoesToTheFigures()
    {
        assertThat(run.loadNote("skews every figure"))
            .matches("system load average \\(1 min\\): -?\\d+\\.\\d\\d at start, -?\\d+\\.\\d\\d at end; other work on the " +
                "machine skews every figure");
    }
}
