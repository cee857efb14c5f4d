package org.coopvm.cli;

import org.coopvm.hypervisor.xenstore.XenstoreConfig;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XenstoreCommandTest
{
    @TempDir(cleanup = CleanupMode.ALWAYS)
    Path runDir;

    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    private XenstoreSocketServer server;

    @BeforeEach
    void start()
    {
        server = new XenstoreSocketServer(xenstored, runDir.resolve(XenstoreSocketServer.SOCKET_NAME));
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private CoopRun coop(final String... args)
    {
        final String[] all = new String[args.length + 3];
        all[0] = "--run-dir";
        all[1] = runDir.toString();
        all[2] = "xenstore";
        System.arraycopy(args, 0, all, 3, args.length);
        return CoopRun.of(all);
    }

    @Test
    void writeReadLsChmodRm()
    {
        assertThat(coop("write", "/a/b", "hello", "/a/c", "world").exitCode()).isZero();
        assertThat(coop("read", "/a/b").outLines()).containsExactly("hello");
        assertThat(coop("ls", "/a").outLines()).containsExactly("b = \"hello\"", "c = \"world\"");
        assertThat(coop("chmod", "/a/b", "n0", "r3").exitCode()).isZero();
        assertThat(coop("rm", "/a/b").exitCode()).isZero();
        assertThat(xenstored.read("/a/b")).isEmpty();
        final CoopRun missing = coop("read", "/a/b");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("/a/b: ENOENT");
    }

    @Test
    void watchPrintsEvents() throws Exception
    {
        final CompletableFuture<CoopRun> watch = CompletableFuture.supplyAsync(() -> coop("watch", "-n", "2", "/w"));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        CoopRun run = null;
        while (run == null && System.nanoTime() < deadline)
        {
            xenstored.write("/w/x", "1".getBytes(StandardCharsets.UTF_8));
            try
            {
                run = watch.get(50, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException notYet)
            {
                // the watch has not seen two events yet: change the node again
            }
        }
        assertThat(run).isNotNull();
        assertThat(run.outLines()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("/w"));
    }

    @Test
    void noHostIsAOneLineFailure()
    {
        server.close();
        final CoopRun run = coop("read", "/x");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot talk to xenstored");
    }
}
