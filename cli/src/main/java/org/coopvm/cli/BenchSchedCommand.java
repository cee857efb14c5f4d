package org.coopvm.cli;

import org.coopvm.perf.sched.SchedBenchmark;
import org.coopvm.perf.sched.SchedBenchmarkConfig;
import org.coopvm.perf.sched.SchedReportTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code coop bench sched}: the cooperative CPU scheduler on the real runtime (fairness, wake-to-run
 * latency next to its peers, the scheduler's CPU, live adjusts) and its pure algorithms' cost per
 * decision, in one run; prints a table with the goals met or not met and writes JSON. Runs
 * on the calling thread.
 */
@Command(
    name = "sched",
    description = "Benchmark the CPU scheduler: fairness, wake-to-run latency, overhead, live adjust, decision cost.",
    footerHeading = "%nWhat it measures, in one run on this machine (a real hypervisor, real guest kernels in this JVM):%n",
    footer = {
        "  - fairness: 7 cpu-burn guests, weights 256/512/1024 and four of 256, on P slots,",
        "    credit and credit2: each guest's CPU over what its weight entitles it to,",
        "    Jain's index of those ratios;",
        "  - wake-to-run: dom0 raises VIRQ_TIMER on a blocked vCPU while N cpu-burn guests",
        "    are busy, until its handler runs (p50/p99/p99.9, HdrHistogram); credit and",
        "    credit2 next to the same wake-up with a free slot (P >= vCPUs), without slots",
        "    (raw doorbell wake, Linux alone) and on an idle host;",
        "  - overhead: the cpu-scheduler thread's CPU with 16 busy vCPUs, next to the",
        "    guests' CPU; live adjusts of weight and slice: call and until applied;",
        "  - the pure algorithms' ns per decision next to a round-robin picker.",
        "Goals (issue 6): Jain's index >= 0.99, boosted wake-to-run p99 <= 1 ms, the",
        "scheduler <= 2%% of one CPU. Progress goes to standard error. Keep the machine",
        "otherwise idle.",
        "",
        BenchRun.EXIT_CODES},
    usageHelpAutoWidth = true,
    sortOptions = false)
final class BenchSchedCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "Short windows (about ten seconds) instead of the default (about a minute).")
    private boolean quick;

    @Option(names = "--slots", paramLabel = "P",
        description = "Physical CPU slots of the hosts, 1..64 (default: this machine's processors).")
    private Integer slots;

    @Option(names = "--burners", paramLabel = "N",
        description = "Busy cpu-burn guests next to the woken vCPU, 1..64 (default: twice the slots).")
    private Integer burners;

    @CommandLine.Mixin
    private BenchOptions options;

    @Override
    public Integer call()
    {
        final int p = slots != null ? slots : Math.min(SchedBenchmarkConfig.MAX_SLOTS, Runtime.getRuntime().availableProcessors());
        final int n = burners != null ? burners : Math.min(SchedBenchmarkConfig.MAX_SLOTS, 2 * p);
        check("--slots", p);
        check("--burners", n);
        final String command = options.commandLine(quick) + (slots != null ? " --slots " + p : "") +
            (burners != null ? " --burners " + n : "");
        final SchedBenchmarkConfig config = (quick ? SchedBenchmarkConfig.quick(command, p, n) :
            SchedBenchmarkConfig.standard(command, p, n)).withRunDir(options.runDir());
        return options.run((json, progress) -> SchedBenchmark.run(config, progress), SchedReportTable::render);
    }

    private void check(final String option, final int value)
    {
        if (value < 1 || value > SchedBenchmarkConfig.MAX_SLOTS)
        {
            throw new CommandLine.ParameterException(options.command().commandLine(),
                option + " " + value + " outside 1.." + SchedBenchmarkConfig.MAX_SLOTS);
        }
    }
}
