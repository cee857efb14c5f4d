package org.coopvm.cli.console;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.coopvm.cli.Coop;
import org.coopvm.cli.toolstack.Toolstack;
import org.coopvm.cli.toolstack.ToolstackFactory;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.ManagementServer;
import org.coopvm.hypervisor.api.RunDirectory;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.trace.TraceLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code coop console} against a live host (the toolstack with its console backend behind the
 * management API, in this JVM, with an in-process {@code console-echo} guest): it prints the
 * log from the start and live, sends typed lines, and detaches on Ctrl-], on the end of input and
 * when the domain goes away. Every wait has a deadline.
 */
class ConsoleCommandTest
{
    private static final long DEADLINE_S = 30;

    private Path root;
    private Path runDir;
    private PrometheusMeterRegistry registry;
    private HostControl host;
    private ManagementServer server;

    @BeforeEach
    void startHost() throws IOException
    {
        root = Files.createTempDirectory(Path.of("/dev/shm"), "coop-console-");
        runDir = root.resolve("run");
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        host = new ToolstackFactory().create(new HostConfig(256, 2, runDir, 0, HostConfig.LOOPBACK, TraceLevel.LIFECYCLE), registry);
        server = ManagementServer.start(host, new RunDirectory(runDir), 0, registry, () -> { });
    }

    @AfterEach
    void stopHost() throws IOException
    {
        try
        {
            if (host != null)
            {
                host.stop();
            }
            if (server != null)
            {
                server.close();
            }
            registry.close();
        }
        finally
        {
            try (Stream<Path> paths = Files.walk(root))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void printsTheLogLiveSendsTypedLinesAndDetachesOnCtrlRightBracket() throws Exception
    {
        host.create(echo("echo1"));
        try (Attached console = attach("echo1"))
        {
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> console.out().contains("console-echo: dom1 is listening"));
            assertThat(console.out()).as("from the start of the log").contains("CoopVM guest kernel: domain 1");

            console.type("hello guest\n");
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> console.out().contains("echo: hello guest\n"));
            console.type("second line\n");
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> console.out().contains("echo: second line\n"));

            console.type("\u001d");
            assertThat(console.exitCode()).isZero();
        }
        assertThat(Files.readString(runDir.resolve(Toolstack.CONSOLE_DIR).resolve("dom1.log")))
            .contains("echo: hello guest\necho: second line\n");
    }

    @Test
    void aProcessGuestsConsoleRingWorksAcrossProcesses() throws Exception
    {
        host.create(DomainConfig.parse("name = \"echo-proc\"\nmemory = 16\nworkload = \"console-echo\"\n", "echo-proc.cfg"));
        try (Attached console = attach("echo-proc"))
        {
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> console.out().contains("console-echo: dom1 is listening"));
            console.type("across processes\n");
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> console.out().contains("echo: across processes\n"));
            console.type("\u001d");
            assertThat(console.exitCode()).isZero();
        }
    }

    @Test
    void followShowsOnlyNewOutputAndEndOfInputDetaches() throws Exception
    {
        host.create(echo("echo2"));
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> Files.exists(log(1)) && Files.readString(log(1)).contains("listening"));
        try (Attached console = attach("--follow", "echo2"))
        {
            console.type("only this\n");
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> console.out().contains("echo: only this"));
            assertThat(console.out()).doesNotContain("listening");
            console.endInput();
            assertThat(console.exitCode()).isZero();
        }
    }

    @Test
    void detachesByItselfWhenTheDomainIsDestroyed() throws Exception
    {
        host.create(echo("echo3"));
        try (Attached console = attach("echo3"))
        {
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> console.out().contains("listening"));
            host.destroy("echo3");
            assertThat(console.exitCode()).isZero();
        }
    }

    private Path log(final int domid)
    {
        return runDir.resolve(Toolstack.CONSOLE_DIR).resolve("dom" + domid + ".log");
    }

    private Attached attach(final String... args) throws IOException
    {
        final PipedOutputStream keyboard = new PipedOutputStream();
        final PipedInputStream stdin = new PipedInputStream(keyboard);
        final StringWriter out = new StringWriter();
        final CommandLine coop = Coop.commandLine();
        coop.setOut(new PrintWriter(out, true));
        coop.setErr(new PrintWriter(out, true));
        ((ConsoleCommand)coop.getSubcommands().get("console").getCommand()).input(stdin);
        final String[] command = new String[args.length + 3];
        command[0] = "--run-dir";
        command[1] = runDir.toString();
        command[2] = "console";
        System.arraycopy(args, 0, command, 3, args.length);
        return new Attached(CompletableFuture.supplyAsync(() -> coop.execute(command)), keyboard, out);
    }

    private static DomainConfig echo(final String name)
    {
        return DomainConfig.parse("name = \"" + name + "\"\nmemory = 16\nworkload = \"console-echo\"\nisolation = \"in-process\"\n",
            name + ".cfg");
    }

    /** A running {@code coop console}: its keyboard and what it printed. */
    private record Attached(CompletableFuture<Integer> run, PipedOutputStream keyboard, StringWriter printed) implements AutoCloseable
    {
        String out()
        {
            return printed.toString();
        }

        void type(final String text) throws IOException
        {
            keyboard.write(text.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        void endInput() throws IOException
        {
            keyboard.close();
        }

        int exitCode() throws Exception
        {
            return run.get(DEADLINE_S, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException
        {
            keyboard.close();
            run.cancel(true);
        }
    }
}
