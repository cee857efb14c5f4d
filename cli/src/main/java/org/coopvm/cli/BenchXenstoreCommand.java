package org.coopvm.cli;

import org.coopvm.perf.xenstore.XenstoreBenchmark;
import org.coopvm.perf.xenstore.XenstoreBenchmarkConfig;
import org.coopvm.perf.xenstore.XenstoreReportTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code coop bench xenstore}: xenstore READ and WRITE operations per second and latency against
 * a real xenstored, from a tool over the Unix socket and from a guest over its ring, in one run;
 * prints a table and writes JSON. Runs on the calling thread.
 */
@Command(
    name = "xenstore",
    description = "Benchmark xenstore READ and WRITE over the Unix socket and a guest's ring.",
    footerHeading = "%nWhat it measures, in one run on this machine, against a real xenstored in this JVM:%n",
    footer = {
        "  - READ of an existing node and WRITE of a 32-byte value from a dom0 tool over",
        "    the Unix socket (XenstoreSocketClient, one request at a time);",
        "  - the same from a guest's xenstore client over its ring page (XenstoreClient);",
        "  - reference only, if Xen's xenstore-utils are installed: one xenstore-read or",
        "    xenstore-write process per operation against the same socket.",
        "Operations per second and p50/p99/p99.9 latency by HdrHistogram after a warm-up.",
        "Progress goes to standard error. Keep the machine otherwise idle while it runs.",
        "",
        BenchRun.EXIT_CODES},
    usageHelpAutoWidth = true,
    sortOptions = false)
final class BenchXenstoreCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "Short run (about 30 seconds) instead of the default (one to two minutes).")
    private boolean quick;

    @CommandLine.Mixin
    private BenchOptions options;

    @Override
    public Integer call()
    {
        final String command = options.commandLine(quick);
        final XenstoreBenchmarkConfig config = (quick ? XenstoreBenchmarkConfig.quick(command) :
            XenstoreBenchmarkConfig.standard(command)).withRunDir(options.runDir());
        return options.run((json, progress) -> XenstoreBenchmark.run(config, progress), XenstoreReportTable::render);
    }
}
