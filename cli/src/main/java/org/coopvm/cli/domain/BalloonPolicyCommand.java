package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.BalloonDecisionInfo;
import org.coopvm.hypervisor.api.BalloonPolicyInfo;
import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.stream.Collectors;

/**
 * {@code coop balloon-policy}: the balloon policy the host runs ({@code key : value} lines, as
 * {@code coop info}), then each domain's last decision with its reason; {@code set} chooses one.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "balloon-policy", mixinStandardHelpOptions = true, subcommands = BalloonPolicySetCommand.class,
    description = {"Show the balloon policy the host runs, its parameters and period, and each domain's last decision.",
        "Without a policy (the default) targets change only by hand: coop mem-set, xenstore-write."})
public final class BalloonPolicyCommand extends ClientCommand
{
    private static final String ROW = "%-16s: %s%n";
    private static final String DECISION_ROW = "%-32s %5s %12s %12s %-22s %7s  %s%n";

    @Override
    void run(final ManagementClient client, final PrintWriter out)
    {
        print(client.balloonPolicy(), out);
    }

    /**
     * @param info the policy as the host runs it.
     * @param out  where to print.
     */
    static void print(final BalloonPolicyInfo info, final PrintWriter out)
    {
        final boolean none = BalloonPolicyInfo.NONE.equals(info.policy());
        out.printf(ROW, "policy", info.policy());
        out.printf(ROW, "description", info.description());
        out.printf(ROW, "period_ms", none ? "-" : Long.toString(info.periodMs()));
        out.printf(ROW, "parameters", info.parameters().isEmpty() ? "-" : info.parameters().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        out.printf(ROW, "rounds", info.rounds());
        out.printf(ROW, "available", String.join(", ", info.available()));
        out.println();
        out.printf(DECISION_ROW, "Name", "ID", "Current(KiB)", "Target(KiB)", "Reason", "Applied", "Detail");
        for (final BalloonDecisionInfo d : info.lastDecisions())
        {
            out.printf(DECISION_ROW, d.name(), d.domid(), d.currentKib(), d.targetKib(), d.reason(), d.applied() ? "yes" : "no",
                d.detail());
        }
    }
}
