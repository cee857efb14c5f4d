package org.coopvm.cli;

import org.coopvm.cli.host.HostStartCommand;
import picocli.CommandLine;

/**
 * Main class of a background host JVM started by {@code coop host start}: runs the host in the
 * foreground of its own process (output goes to {@code <run>/host.log}) until it is stopped.
 * Takes the options of {@code coop host start}.
 *
 * <p>Thread safety: runs on the JVM's main thread.
 */
public final class HostMain
{
    private HostMain()
    {
    }

    /**
     * @param args {@code coop host start} options; {@code --foreground} is implied.
     */
    public static void main(final String[] args)
    {
        final String[] foreground = new String[args.length + 1];
        System.arraycopy(args, 0, foreground, 0, args.length);
        foreground[args.length] = "--foreground";
        final CommandLine host = CliErrors.install(new CommandLine(new HostStartCommand()).setCommandName("coop-host"));
        System.exit(host.execute(foreground));
    }
}
