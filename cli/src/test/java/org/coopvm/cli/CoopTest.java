package org.coopvm.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class CoopTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpListsTheBenchGroupAndExitsZero()
    {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("Usage: coop", "bench", "trace", "Exit codes:");
    }

    @Test
    void benchRingsHelpDescribesItsOptionsAndWhatItMeasures()
    {
        assertThat(run("bench", "rings", "--help")).isZero();

        assertThat(out.toString()).contains("Usage: coop bench rings", "--quick", "--out=FILE", "--run-dir=DIR",
            "Agrona OneToOneRingBuffer", "Aeron IPC", "raw futex ping-pong", "JSON");
    }

    @Test
    void benchHypercallsHelpDescribesItsOptionsAndTheGoal()
    {
        assertThat(run("bench", "hypercalls", "--help")).isZero();

        assertThat(out.toString()).contains("Usage: coop bench hypercalls", "--quick", "--out=FILE", "--run-dir=DIR",
            "null hypercall", "event channel", "1.5x the raw message channel round trip", "JSON");
    }

    @Test
    void benchBalloonHelpDescribesItsOptionsPeersAndGoals()
    {
        assertThat(run("bench", "balloon", "--help")).isZero();

        assertThat(out.toString()).contains("Usage: coop bench balloon", "--quick", "--out=FILE", "results/bench-balloon-",
            "--run-dir=DIR", "PUNCH_HOLE", "MADV_DONTNEED", "recorded, not measured", "2 GiB/s", "99%");
    }

    @Test
    void benchBlockHelpDescribesItsOptionsPeersAndGoals()
    {
        assertThat(run("bench", "block", "--help")).isZero();

        assertThat(out.toString()).contains("Usage: coop bench block", "--quick", "--out=FILE", "results/bench-block-",
            "--run-dir=DIR", "FileChannel", "0.5x direct", "0.8x direct");
    }

    @Test
    void benchNetHelpDescribesItsOptionsPeersAndGoal()
    {
        assertThat(run("bench", "net", "--help")).isZero();

        assertThat(out.toString()).contains("Usage: coop bench net", "--quick", "--out=FILE", "results/bench-net-",
            "--run-dir=DIR", "process guests", "memcpy", "raw Xen ring", "at least 10 Gbit/s");
    }

    @Test
    void benchSchedHelpDescribesItsOptionsPeersAndGoals()
    {
        assertThat(run("bench", "sched", "--help")).isZero();

        assertThat(out.toString().replaceAll("\\s+", " ")).as("help text, rewrapped to the terminal's width")
            .contains("Usage: coop bench sched", "--quick", "--slots=P", "--burners=N", "--out=FILE",
            "--run-dir=DIR", "Jain's index >= 0.99", "p99 <= 1 ms", "2% of one CPU", "without slots", "round-robin picker");
    }

    @Test
    void benchSchedRefusesSlotsOrBurnersOutOfRangeBeforeMeasuring()
    {
        assertThat(run("bench", "sched", "--quick", "--slots", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--slots 0 outside 1..64");
        assertThat(run("bench", "sched", "--burners", "65")).isEqualTo(2);
        assertThat(err.toString()).contains("--burners 65 outside 1..64");
        assertThat(run("bench", "sched", "--slots", "two")).isEqualTo(2);
        assertThat(out.toString()).as("nothing measured").doesNotContain("Jain index");
    }

    @Test
    void demoHelpSaysWhatItRunsAndThatItCleansUp()
    {
        assertThat(run("demo", "--help")).isZero();

        assertThat(out.toString()).contains("Usage: coop demo", "--duration=SECONDS", "--interval=SECONDS", "cache.cfg",
            "hog.cfg", "idle.cfg", "mom", "xentop", "removes the run directory, also on", "Ctrl-C");
    }

    @Test
    void benchWithoutASubcommandIsAUsageErrorThatListsRings()
    {
        assertThat(run("bench")).isEqualTo(2);

        assertThat(err.toString()).contains("Missing required subcommand", "rings", "hypercalls");
    }

    @Test
    void unknownOptionOrCommandIsAUsageError()
    {
        assertThat(run("bench", "rings", "--fast")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--fast'");
        assertThat(run("frobnicate")).isEqualTo(2);
    }

    private int run(final String... args)
    {
        final CommandLine commandLine = Coop.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
