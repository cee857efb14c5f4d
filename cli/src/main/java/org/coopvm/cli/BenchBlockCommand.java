package org.coopvm.cli;

import org.coopvm.perf.block.BlockBenchmark;
import org.coopvm.perf.block.BlockBenchmarkConfig;
import org.coopvm.perf.block.BlockReportTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code coop bench block}: 4 KiB random and 64 KiB sequential I/O through a guest's blkfront and
 * dom0's blkback, next to direct FileChannel I/O on the same image, in one run; prints a table
 * with the goals met or not met and writes JSON. Runs on the calling thread.
 */
@Command(
    name = "block",
    description = "Benchmark a guest's virtual disk (blkfront/blkback) against direct FileChannel I/O on the same image.",
    footerHeading = "%nWhat it measures, in one run on this machine:%n",
    footer = {
        "  - an image file on tmpfs (--run-dir), written with data first;",
        "  - one guest (a real hypervisor, dom0's block backend and the real guest kernel",
        "    in this JVM) with the image as xvda: 4 KiB random reads and writes with 32",
        "    requests in flight, 64 KiB sequential reads and writes with 16, submitted",
        "    on vCPU 0 through the asynchronous block API: IOPS and MB/s;",
        "  - the same cases straight through FileChannel positional I/O from one thread;",
        "  - alternating, a warm-up round (not counted) then several rounds; figures are",
        "    medians.",
        "Goals (issue 7): random 4 KiB at least 0.5x direct, sequential 64 KiB at least",
        "0.8x direct. Progress goes to standard error. Keep the machine otherwise idle.",
        "",
        BenchRun.EXIT_CODES},
    usageHelpAutoWidth = true,
    sortOptions = false)
final class BenchBlockCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "One round of one second per case, no warm-up (about fifteen seconds), instead of a warm-up round and three of two seconds.")
    private boolean quick;

    @CommandLine.Mixin
    private BenchOptions options;

    @Override
    public Integer call()
    {
        final String command = options.commandLine(quick);
        final BlockBenchmarkConfig config = (quick ? BlockBenchmarkConfig.quick(command) :
            BlockBenchmarkConfig.standard(command)).withRunDir(options.runDir());
        return options.run((json, progress) -> BlockBenchmark.run(config, progress), BlockReportTable::render);
    }
}
