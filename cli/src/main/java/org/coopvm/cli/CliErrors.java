package org.coopvm.cli;

import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.api.NoHostRunningException;
import org.coopvm.hypervisor.config.ConfigException;
import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * How {@code coop} reports a failed operation: one line on stderr, {@code coop <command>: <what
 * went wrong>}, and exit code 1. Usage errors stay picocli's (message, usage, exit code 2).
 *
 * <p>Thread safety: stateless.
 */
public final class CliErrors
{
    /** Exit code for a failed operation. */
    public static final int FAILED = 1;

    private CliErrors()
    {
    }

    /**
     * @param commandLine a command line.
     * @return the same command line, reporting CoopVM's failures as one line and exit code 1.
     */
    public static CommandLine install(final CommandLine commandLine)
    {
        return commandLine.setExecutionExceptionHandler(CliErrors::handle);
    }

    private static int handle(final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
        throws Exception
    {
        if (!isOperationFailure(ex))
        {
            throw ex;
        }
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        commandLine.getErr().flush();
        return FAILED;
    }

    private static boolean isOperationFailure(final Exception ex)
    {
        return ex instanceof HostControlException || ex instanceof NoHostRunningException ||
            ex instanceof ConfigException || ex instanceof UncheckedIOException || ex instanceof OperationFailedException;
    }
}
