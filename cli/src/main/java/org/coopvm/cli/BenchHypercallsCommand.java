package org.coopvm.cli;

import org.coopvm.perf.hypercall.HypercallBenchmark;
import org.coopvm.perf.hypercall.HypercallBenchmarkConfig;
import org.coopvm.perf.hypercall.HypercallReportTable;
import org.coopvm.perf.latency.ChildJvm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code coop bench hypercalls}: null hypercall and event channel latency between a real
 * hypervisor and real process guests, next to the raw ring round trips, measured in one run;
 * prints a table and writes JSON. Runs on the calling thread.
 */
@Command(
    name = "hypercalls",
    description = "Benchmark null hypercalls and event channels of process guests against the raw rings.",
    footerHeading = "%nWhat it measures, in one run on this machine, spinning, blocking and spin-then-sleep:%n",
    footer = {
        "  - the raw round trip of 64-byte messages between two processes over the",
        "    message channel and the Xen ring (the foundation benchmark's ping-pong);",
        "  - the null hypercall (xen_version) round trip from a process guest: a real",
        "    hypervisor in this JVM, the real guest kernel in a child JVM;",
        "  - the interdomain event channel between two process guests: round trip and",
        "    one way (send to the peer's upcall, shared monotonic clock).",
        "Percentiles p50/p99/p99.9 by HdrHistogram after a warm-up. The goal: null",
        "hypercall p50 within 1.5x the raw message channel round trip, same wait mode.",
        "Progress goes to standard error. Keep the machine otherwise idle while it runs.",
        "",
        BenchRun.EXIT_CODES},
    usageHelpAutoWidth = true,
    sortOptions = false)
final class BenchHypercallsCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "Short run (about a minute) instead of the default (a few minutes).")
    private boolean quick;

    @CommandLine.Mixin
    private BenchOptions options;

    @Override
    public Integer call()
    {
        final String command = options.commandLine(quick);
        final HypercallBenchmarkConfig config = (quick ?
            HypercallBenchmarkConfig.quick(command, ChildJvm.likeThisJvm()) :
            HypercallBenchmarkConfig.standard(command, ChildJvm.likeThisJvm())).withRunDir(options.runDir());
        return options.run((json, progress) -> HypercallBenchmark.run(config, progress), HypercallReportTable::render);
    }
}
