package org.coopvm.cli;

import org.coopvm.perf.balloon.BalloonBenchmark;
import org.coopvm.perf.balloon.BalloonBenchmarkConfig;
import org.coopvm.perf.balloon.BalloonReportTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code coop bench balloon}: inflate and deflate 1 GiB of one guest's memory through the real
 * balloon path, next to the raw mechanism floor and the recorded virtio-balloon anchors, in one
 * run; prints a table with the goals met or not met and writes JSON. Runs on the calling
 * thread.
 */
@Command(
    name = "balloon",
    description = "Benchmark inflating and deflating a guest's balloon by 1 GiB against the raw mechanism.",
    footerHeading = "%nWhat it measures, in one run on this machine:%n",
    footer = {
        "  - one guest of 1 GiB + 64 MiB (a real hypervisor and the real guest kernel with",
        "    its balloon driver, in this JVM, memory a file on tmpfs), every page touched,",
        "    inflated by 1 GiB (memory/target lowered in xenstore, the driver's",
        "    decrease_reservation calls, the file punched) and deflated back: seconds,",
        "    GiB/s, and the resident memory the host got back (fstat of the memory file);",
        "  - the floor: one fallocate(PUNCH_HOLE) of a mapped 1 GiB tmpfs file and one",
        "    madvise(MADV_DONTNEED) of 1 GiB of anonymous memory (what Firecracker does);",
        "  - recorded, not measured: virtio-balloon's 7 GB in 4.1 s, 0.49 s with scatter-gather.",
        "Goals (issue 5): at least 2 GiB/s each way, at least 99%% of the inflated memory",
        "returned. Progress goes to standard error. Keep the machine otherwise idle.",
        "",
        BenchRun.EXIT_CODES},
    usageHelpAutoWidth = true,
    sortOptions = false)
final class BenchBalloonCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "One round (a few seconds) instead of the default five.")
    private boolean quick;

    @CommandLine.Mixin
    private BenchOptions options;

    @Override
    public Integer call()
    {
        final String command = options.commandLine(quick);
        final BalloonBenchmarkConfig config = (quick ? BalloonBenchmarkConfig.quick(command) :
            BalloonBenchmarkConfig.standard(command)).withRunDir(options.runDir());
        return options.run((json, progress) -> BalloonBenchmark.run(config, progress), BalloonReportTable::render);
    }
}
