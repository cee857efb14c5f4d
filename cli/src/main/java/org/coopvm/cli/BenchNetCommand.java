package org.coopvm.cli;

import org.coopvm.perf.latency.ChildJvm;
import org.coopvm.perf.net.NetBenchmark;
import org.coopvm.perf.net.NetBenchmarkConfig;
import org.coopvm.perf.net.NetReportTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code coop bench net}: a stream of 1500-byte frames and a ping-pong of small frames between two
 * process guests through netfront, netback and dom0's switch, next to memcpy of the same frames
 * and the raw Xen ring round trip, in one run; prints a table with the goal met or not met
 * and writes JSON. Runs on the calling thread.
 */
@Command(
    name = "net",
    description = "Benchmark the virtual network between two process guests (netfront/netback/switch) against memcpy " +
        "and the raw ring round trip.",
    footerHeading = "%nWhat it measures, in one run on this machine:%n",
    footer = {
        "  - two process guests (a real hypervisor and dom0's net backend in this JVM, each",
        "    guest kernel in its own JVM) with a vif each on dom0's switch: net-stream",
        "    (1514-byte frames, a 1500-byte payload, as fast as the tx ring takes them, 7 s):",
        "    payload Gbit/s after the first 2 s (iperf3's --omit: the guests' JITs compile",
        "    the data path first); then a fresh pair running net-pingpong (60-byte frames, one",
        "    in flight): round trip p50 and p99;",
        "  - memcpy of 1500-byte frames between two off-heap buffers in one thread: Gbit/s;",
        "  - the raw Xen ring round trip between two processes (spin, then sleep);",
        "  - in several rounds; figures are medians, the guests' as ratios to the others.",
        "Goal (issue 7): a single stream of at least 10 Gbit/s (Xen's netback does about",
        "14 within a host). Progress goes to standard error. Keep the machine otherwise idle.",
        "",
        BenchRun.EXIT_CODES},
    usageHelpAutoWidth = true,
    sortOptions = false)
final class BenchNetCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "One short round (about twenty seconds) instead of three.")
    private boolean quick;

    @CommandLine.Mixin
    private BenchOptions options;

    @Override
    public Integer call()
    {
        final String command = options.commandLine(quick);
        final NetBenchmarkConfig config = (quick ? NetBenchmarkConfig.quick(command, ChildJvm.likeThisJvm()) :
            NetBenchmarkConfig.standard(command, ChildJvm.likeThisJvm())).withRunDir(options.runDir());
        return options.run((json, progress) -> NetBenchmark.run(config, progress), NetReportTable::render);
    }
}
