package org.coopvm.cli.xenstore;

import org.coopvm.cli.OperationFailedException;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketClient;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code coop xenstore} verbs, one small class each.
 *
 * <p>Thread safety: confined to the command's thread.
 */
final class XenstoreVerbs
{
    private XenstoreVerbs()
    {
    }

    /** {@code read PATH...}: print each value on its own line. */
    @Command(name = "read", mixinStandardHelpOptions = true, description = "Print the values of nodes.")
    public static final class Read extends XenstoreVerb
    {
        @Parameters(arity = "1..*", paramLabel = "PATH")
        private List<String> paths;

        @Override
        void run(final XenstoreSocketClient client, final PrintWriter out) throws IOException
        {
            for (final String path : paths)
            {
                out.println(checked(client.call(XsMessageType.READ, 0, path), path).text());
            }
        }
    }

    /** {@code write PATH VALUE [PATH VALUE]...}. */
    @Command(name = "write", mixinStandardHelpOptions = true, description = "Write values (creating nodes).")
    public static final class Write extends XenstoreVerb
    {
        @Parameters(arity = "2..*", paramLabel = "PATH VALUE")
        private List<String> pairs;

        @Override
        void run(final XenstoreSocketClient client, final PrintWriter out) throws IOException
        {
            if (pairs.size() % 2 != 0)
            {
                throw new OperationFailedException("give PATH VALUE pairs, not " + pairs.size() + " words");
            }
            for (int i = 0; i < pairs.size(); i += 2)
            {
                checked(client.write(pairs.get(i), pairs.get(i + 1).getBytes(StandardCharsets.UTF_8)), pairs.get(i));
            }
        }
    }

    /** {@code ls [PATH]}: the subtree, indented, as xenstore-ls prints it. */
    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Print a subtree with values.")
    public static final class Ls extends XenstoreVerb
    {
        @Parameters(arity = "0..1", paramLabel = "PATH", defaultValue = "/")
        private String path;

        @Override
        void run(final XenstoreSocketClient client, final PrintWriter out) throws IOException
        {
            print(client, out, path, 0);
        }

        private static void print(final XenstoreSocketClient client, final PrintWriter out, final String path,
                                  final int depth) throws IOException
        {
            for (final String child : checked(client.call(XsMessageType.DIRECTORY, 0, path), path).strings())
            {
                final String childPath = "/".equals(path) ? "/" + child : path + "/" + child;
                final XsMessage value = client.call(XsMessageType.READ, 0, childPath);
                final String shown = value.type() == XsMessageType.ERROR.code() ? "" : value.text();
                out.println(" ".repeat(depth) + child + " = \"" + shown + "\"");
                print(client, out, childPath, depth + 1);
            }
        }
    }

    /** {@code rm PATH...}: remove subtrees. */
    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove nodes and their subtrees.")
    public static final class Rm extends XenstoreVerb
    {
        @Parameters(arity = "1..*", paramLabel = "PATH")
        private List<String> paths;

        @Override
        void run(final XenstoreSocketClient client, final PrintWriter out) throws IOException
        {
            for (final String path : paths)
            {
                checked(client.call(XsMessageType.RM, 0, path), path);
            }
        }
    }

    /** {@code chmod PATH PERM...}: set permissions ({@code <r|w|b|n><domid>}, owner first). */
    @Command(name = "chmod", mixinStandardHelpOptions = true, description = "Set a node's permissions, owner first.")
    public static final class Chmod extends XenstoreVerb
    {
        @Parameters(index = "0", paramLabel = "PATH")
        private String path;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "PERM")
        private List<String> perms;

        @Override
        void run(final XenstoreSocketClient client, final PrintWriter out) throws IOException
        {
            final List<String> args = new ArrayList<>();
            args.add(path);
            args.addAll(perms);
            checked(client.call(XsMessageType.SET_PERMS, 0, args.toArray(String[]::new)), path);
        }
    }

    /** {@code watch [-n N] PATH}: print each event's path as it comes. */
    @Command(name = "watch", mixinStandardHelpOptions = true, description = "Print paths as nodes change.")
    public static final class Watch extends XenstoreVerb
    {
        @Option(names = "-n", paramLabel = "N", description = "Exit after N events (default: run until killed).")
        private long count = Long.MAX_VALUE;

        @Parameters(index = "0", paramLabel = "PATH")
        private String path;

        @Override
        void run(final XenstoreSocketClient client, final PrintWriter out) throws IOException
        {
            checked(client.call(XsMessageType.WATCH, 0, path, "coop"), path);
            for (long seen = 0; seen < count; seen++)
            {
                out.println(client.nextEvent().strings().getFirst());
                out.flush();
            }
        }
    }
}
