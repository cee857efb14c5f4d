package org.coopvm.cli;

import org.coopvm.perf.RingsBenchmark;
import org.coopvm.perf.RingsBenchmarkConfig;
import org.coopvm.perf.latency.ChildJvm;
import org.coopvm.perf.report.ReportTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code coop bench rings}: one-way throughput and round-trip latency of CoopVM's rings next to
 * Agrona, Aeron IPC and a raw futex baseline, measured in one run; prints a table and writes JSON.
 * Runs on the calling thread.
 */
@Command(
    name = "rings",
    description = "Benchmark CoopVM's rings against Agrona, Aeron IPC and a raw futex baseline.",
    footerHeading = "%nWhat it measures, in one run on this machine:%n",
    footer = {
        "  - one-way throughput of 64-byte messages: Xen ring, message channel,",
        "    Agrona OneToOneRingBuffer and Aeron IPC (JMH, one producer thread and",
        "    one consumer thread);",
        "  - round-trip latency p50/p99/p99.9 (HdrHistogram) between two threads and",
        "    between two processes, spinning (next to Agrona) and blocking (next to",
        "    a raw futex ping-pong);",
        "  - CPU used by a waiter blocked 2 s on an empty transport.",
        "It prints a table with each goal's ratio ours/best peer and writes every",
        "figure to JSON. Progress goes to standard error. Keep the machine otherwise",
        "idle while it runs.",
        "",
        BenchRun.EXIT_CODES},
    usageHelpAutoWidth = true,
    sortOptions = false)
final class BenchRingsCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "Short run (about a minute) instead of the default (a few minutes).")
    private boolean quick;

    @CommandLine.Mixin
    private BenchOptions options;

    @Override
    public Integer call()
    {
        return options.run((json, progress) -> RingsBenchmark.run(config(json), progress), ReportTable::render);
    }

    private RingsBenchmarkConfig config(final Path json)
    {
        final String command = options.commandLine(quick);
        final Path jmhLog = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".jmh.log");
        final RingsBenchmarkConfig config = quick ?
            RingsBenchmarkConfig.quick(command, jmhLog, ChildJvm.likeThisJvm()) :
            RingsBenchmarkConfig.standard(command, jmhLog, ChildJvm.likeThisJvm());
        return config.withRunDir(options.runDir());
    }
}
