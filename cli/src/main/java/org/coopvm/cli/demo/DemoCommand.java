package org.coopvm.cli.demo;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code coop demo}: ballooning in one command. Starts a private host, three process guests
 * (a cache, a hog whose demand rises then falls, an idle guest) under the {@code mom} policy,
 * shows a live table for about a minute, prints a summary and leaves nothing behind. Runs on the
 * calling thread.
 */
@Command(
    name = "demo",
    description = "Run three ballooning guests under the mom policy for a minute, live, then summarise.",
    footerHeading = "%nWhat it does:%n",
    footer = {
        "  - starts a host in a private run directory under /dev/shm, never the default",
        "    one; meanwhile its API and xenstore serve other coop commands",
        "    (COOP_RUN_DIR=<dir> ./coop list);",
        "  - creates three process guests from examples/domains: cache.cfg (a key-value",
        "    cache whose hit ratio follows its memory), hog.cfg (demand 32 -> 288 -> 32",
        "    MiB within a minute) and idle.cfg, under the balloon policy mom (oVirt",
        "    MoM's rules) deciding every 2 s;",
        "  - every --interval, a table in the style of xentop: memory current and",
        "    target, the free memory each guest reports, the cache's hit ratio, how the",
        "    last target change went and the policy's last decision (plain lines",
        "    instead when the output is not a terminal);",
        "  - then a summary: memory moved each way, the balloon's decisions and their",
        "    convergence times, the hit ratio at start and end, the guests' resident",
        "    memory at start, peak and end;",
        "  - stops every guest and the host and removes the run directory, also on",
        "    Ctrl-C or failure.",
        "",
        "Exit codes:",
        "  0  the demo ran to its end (or was interrupted) and cleaned up",
        "  1  it failed (the message says why); it still cleaned up",
        "  2  usage error"},
    usageHelpAutoWidth = true,
    sortOptions = false)
public final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "60",
        description = "How long the guests run (default: ${DEFAULT-VALUE}; the hog's profile takes 54).")
    private int durationSeconds;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
        description = "Refresh period of the table (default: ${DEFAULT-VALUE}).")
    private int intervalSeconds;

    @Option(names = "--domains", paramLabel = "DIR",
        description = "Where cache.cfg, hog.cfg and idle.cfg are (default: the checkout's examples/domains).")
    private Path domains;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        if (durationSeconds < 1 || durationSeconds > 3600 || intervalSeconds < 1 || intervalSeconds > 60)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "need 1 <= --duration <= 3600 and 1 <= --interval <= 60");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final DemoSettings settings = new DemoSettings(Duration.ofSeconds(durationSeconds), Duration.ofSeconds(intervalSeconds),
            domains != null ? domains : DemoSettings.defaultDomainsDir());
        return new DemoRun(settings, DemoDisplay.forConsole(out)).run();
    }
}
