package org.coopvm.cli.console;

import org.coopvm.cli.RunDirOption;
import org.coopvm.cli.toolstack.Toolstack;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code coop console DOMAIN}: print the domain's console log ({@code <run>/console/dom<N>.log})
 * from the start, or with {@code --follow} only what comes from now on, and keep printing as
 * the guest writes (like {@code tail -f}); each line typed on stdin goes to the guest's console
 * input through the management API. Ctrl-] (followed by Enter on a terminal in line mode) or the
 * end of stdin detaches, as in {@code xl console}; so does the domain going away.
 *
 * <p>Thread safety: the command's thread waits; {@code coop-console-tail} prints the log and
 * {@code coop-console-input} forwards stdin (a daemon: it may stay blocked in a read after
 * detaching).
 */
@Command(name = "console", mixinStandardHelpOptions = true,
    description = "Attach to a domain's console: print its output live and send typed lines to it. Ctrl-] or end of input detaches.")
public final class ConsoleCommand implements Callable<Integer>
{
    /** The byte Ctrl-] sends: detach. */
    public static final int DETACH = 0x1d;

    @Mixin
    private RunDirOption runDir;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "The domain's name or domid.")
    private String domain;

    @Option(names = {"-f", "--follow"}, description = "Print only output written from now on (default: the whole log, then follow).")
    private boolean onlyNew;

    private InputStream input = System.in;

    /**
     * @param in where typed input comes from instead of stdin (tests, embedding).
     * @return this.
     */
    public ConsoleCommand input(final InputStream in)
    {
        this.input = in;
        return this;
    }

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        try (ManagementClient client = ManagementClient.connect(runDir.resolve()))
        {
            final DomainInfo info = client.info(domain);
            final String domid = Integer.toString(info.domid());
            final Path log = runDir.resolve().resolve(Toolstack.CONSOLE_DIR).resolve("dom" + domid + ".log");
            final CountDownLatch detached = new CountDownLatch(1);
            final LogTail tail = new LogTail(log, onlyNew, out, () -> domainExists(client, domid));
            final Thread printer = Thread.ofPlatform().name("coop-console-tail").daemon(true).start(() ->
            {
                try
                {
                    tail.run();
                }
                finally
                {
                    detached.countDown();
                }
            });
            final AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Thread.ofPlatform().name("coop-console-input").daemon(true).start(() ->
            {
                try
                {
                    forwardInput(client, domid);
                }
                catch (final RuntimeException ex)
                {
                    failure.set(ex);
                }
                finally
                {
                    detached.countDown();
                }
            });
            detached.await();
            tail.stop();
            printer.join(LogTail.STOP_WAIT_MS);
            if (failure.get() != null)
            {
                throw failure.get();
            }
        }
        out.flush();
        return 0;
    }

    /** Send each typed line (with its newline) until Ctrl-] or the end of input. */
    private void forwardInput(final ManagementClient client, final String domid)
    {
        final LineInput lines = new LineInput(input, DETACH);
        byte[] line;
        while ((line = readLine(lines)) != null)
        {
            client.consoleInput(domid, line);
        }
    }

    private static byte[] readLine(final LineInput lines)
    {
        try
        {
            return lines.next();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the console input", ex);
        }
    }

    private static boolean domainExists(final ManagementClient client, final String domid)
    {
        try
        {
            client.info(domid);
            return true;
        }
        catch (final RuntimeException ex)
        {
            return false; // no such domain any more, or the host is gone
        }
    }
}
