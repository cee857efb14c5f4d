package org.coopvm.hypervisor.xenstore.transport;

import org.coopvm.hypervisor.xenstore.XenstoreConfig;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.rings.xenstore.XsMessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Xen's own command-line tools (Debian's {@code xenstore-utils}) against our socket, through
 * {@code XENSTORED_PATH}. Each tool wraps its operation in a transaction.
 */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XenstoreUtilsSystemTest
{
    private static final long DEADLINE_S = 10;

    @TempDir(cleanup = CleanupMode.ALWAYS)
    Path dir;

    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    private XenstoreSocketServer server;

    @BeforeEach
    void start()
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/xenstore-read")),
            "Debian package xenstore-utils is not installed (apt-get install xenstore-utils)");
        server = new XenstoreSocketServer(xenstored, dir.resolve(XenstoreSocketServer.SOCKET_NAME));
        server.start();
    }

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void writeReadListLsExistsChmodRm() throws Exception
    {
        assertThat(run("xenstore-write", "/a/b", "hello").exit).isZero();
        assertThat(run("xenstore-read", "/a/b").out).containsExactly("hello");
        assertThat(run("xenstore-exists", "/a/b").exit).isZero();
        assertThat(run("xenstore-exists", "/a/nope").exit).isNotZero();
        assertThat(run("xenstore-write", "/a/c", "world").exit).isZero();
        assertThat(run("xenstore-list", "/a").out).containsExactly("b", "c");
        assertThat(run("xenstore-ls", "/a").out).containsExactly("b = \"hello\"", "c = \"world\"");
        assertThat(run("xenstore-chmod", "/a/b", "n0", "r5").exit).isZero();
        try (XenstoreSocketClient client = new XenstoreSocketClient(server.socketPath()))
        {
            assertThat(client.call(XsMessageType.GET_PERMS, 0, "/a/b").strings()).containsExactly("n0", "r5");
        }
        assertThat(run("xenstore-rm", "/a/b").exit).isZero();
        assertThat(xenstored.read("/a/b")).isEmpty();
        assertThat(run("xenstore-read", "/a/b").exit).isNotZero();
    }

    @Test
    void chmodIsVisibleToOtherTools() throws Exception
    {
        run("xenstore-write", "/p", "v");
        assertThat(run("xenstore-chmod", "/p", "n0", "r5").exit).isZero();
        assertThat(run("xenstore-ls", "-p", "/").out).anySatisfy(line -> assertThat(line).startsWith("p = \"v\"").contains("n0", "r5"));
    }

    @Test
    void watchPrintsEventsAsNodesChange() throws Exception
    {
        final Process watch = start("xenstore-watch", "-n", "2", "/w");
        try
        {
            final BlockingQueue<String> lines = lines(watch);
            assertThat(lines.poll(DEADLINE_S, TimeUnit.SECONDS)).isEqualTo("/w");
            xenstored.write("/w/x", "1".getBytes(StandardCharsets.UTF_8));
            assertThat(lines.poll(DEADLINE_S, TimeUnit.SECONDS)).isEqualTo("/w/x");
            assertThat(watch.waitFor(DEADLINE_S, TimeUnit.SECONDS)).isTrue();
        }
        finally
        {
            watch.destroyForcibly();
        }
    }

    private record Result(int exit, List<String> out)
    {
    }

    private Result run(final String... command) throws IOException, InterruptedException
    {
        final Process process = start(command);
        try
        {
            final List<String> out = new ArrayList<>();
            final BlockingQueue<String> lines = lines(process);
            assertThat(process.waitFor(DEADLINE_S, TimeUnit.SECONDS)).as("%s finished", String.join(" ", command)).isTrue();
            String line;
            while ((line = lines.poll(1, TimeUnit.SECONDS)) != null && !line.equals(EOF))
            {
                out.add(line);
            }
            return new Result(process.exitValue(), out);
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    private static final String EOF = "\u0000EOF";

    private Process start(final String... command) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("XENSTORED_PATH", server.socketPath().toString());
        return builder.start();
    }

    private static BlockingQueue<String> lines(final Process process)
    {
        final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
        Thread.ofVirtual().start(() ->
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    lines.offer(line);
                }
            }
            catch (final IOException ignored)
            {
                // the process went away
            }
            lines.offer(EOF);
        });
        return lines;
    }
}
