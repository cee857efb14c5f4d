package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code coop balloon-policy set NAME [key=value...]}: choose the host's balloon policy. The host
 * validates first: an unknown policy, an unknown or repeated key, or a value out of range fails
 * naming it (and the range), and nothing changes. {@code none} stops the running policy.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "set", mixinStandardHelpOptions = true, description = {
    "Choose the balloon policy: NAME (static, proportional-share, mom, selfballoon, cooperative, or none to stop)",
    "and its parameters as key=value; every policy takes period_ms. Invalid input changes nothing."})
public final class BalloonPolicySetCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "NAME", description = "The policy, or none.")
    private String name;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "KEY=VALUE", description = "Its parameters.")
    private List<String> arguments = List.of();

    @Override
    void run(final ManagementClient client, final PrintWriter out)
    {
        BalloonPolicyCommand.print(client.setBalloonPolicy(name, arguments), out);
    }
}
