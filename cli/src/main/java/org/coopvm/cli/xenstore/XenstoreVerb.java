package org.coopvm.cli.xenstore;

import org.coopvm.cli.OperationFailedException;
import org.coopvm.cli.RunDirOption;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketClient;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketServer;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What every {@code coop xenstore} verb shares: finding the socket, connecting, turning ERROR
 * replies into a one-line failure.
 *
 * <p>Thread safety: confined to the command's thread.
 */
abstract class XenstoreVerb implements Callable<Integer>
{
    @Mixin
    private RunDirOption runDir;

    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call()
    {
        final Path socket = runDir.resolve().resolve(XenstoreSocketServer.SOCKET_NAME);
        try (XenstoreSocketClient client = new XenstoreSocketClient(socket))
        {
            run(client, spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
            return 0;
        }
        catch (final IOException e)
        {
            throw new OperationFailedException("cannot talk to xenstored at " + socket + ": " + e.getMessage());
        }
    }

    abstract void run(XenstoreSocketClient client, PrintWriter out) throws IOException;

    /** @return the reply; an ERROR reply becomes a failure naming the path and error. */
    static XsMessage checked(final XsMessage reply, final String path)
    {
        if (reply.type() == XsMessageType.ERROR.code())
        {
            throw new OperationFailedException(path + ": " + reply.text());
        }
        return reply;
    }
}
