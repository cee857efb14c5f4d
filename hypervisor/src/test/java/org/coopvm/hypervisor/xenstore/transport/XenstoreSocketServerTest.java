package org.coopvm.hypervisor.xenstore.transport;

import org.coopvm.hypervisor.xenstore.XenstoreConfig;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XenstoreSocketServerTest
{
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    Path dir;

    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    private XenstoreSocketServer server;

    @BeforeEach
    void start()
    {
        server = new XenstoreSocketServer(xenstored, dir.resolve(XenstoreSocketServer.SOCKET_NAME));
        server.start();
    }

    @AfterEach
    void stop()
    {
        assertThat(server.running()).as("the server thread survived the test").isTrue();
        server.close();
        assertThat(Files.exists(server.socketPath())).isFalse();
    }

    @Test
    void servesRequestsAndWatchEventsOverTheSocket() throws IOException
    {
        try (XenstoreSocketClient tool = new XenstoreSocketClient(server.socketPath());
             XenstoreSocketClient watcher = new XenstoreSocketClient(server.socketPath()))
        {
            assertThat(watcher.call(XsMessageType.WATCH, 0, "/a", "tok").text()).isEqualTo("OK");
            assertThat(watcher.nextEvent().strings()).containsExactly("/a", "tok");
            assertThat(tool.write("/a/b", "hello".getBytes(StandardCharsets.UTF_8)).text()).isEqualTo("OK");
            assertThat(tool.call(XsMessageType.READ, 0, "/a/b").text()).isEqualTo("hello");
            assertThat(watcher.nextEvent().strings()).containsExactly("/a/b", "tok");
            assertThat(Files.getPosixFilePermissions(server.socketPath())).hasSize(2);
        }
    }

    @Test
    void oversizedHeaderClosesThatConnectionOnly() throws IOException
    {
        try (XenstoreSocketClient bad = new XenstoreSocketClient(server.socketPath());
             XenstoreSocketClient good = new XenstoreSocketClient(server.socketPath()))
        {
            final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(XsMessageType.READ.code()).putInt(1).putInt(0).putInt(4097).flip();
            bad.channel().write(header);
            assertThatThrownBy(() -> bad.call(XsMessageType.READ, 0, "/")).isInstanceOf(IOException.class);
            assertThat(good.write("/still", new byte[] {'y'}).text()).isEqualTo("OK");
            assertThat(server.closedForProtocol()).isEqualTo(1);
        }
    }

    @Test
    void randomBytesNeverStopTheServer() throws IOException
    {
        final Random random = new Random(0xC0FFEE);
        try (XenstoreSocketClient good = new XenstoreSocketClient(server.socketPath()))
        {
            for (int round = 0; round < 200; round++)
            {
                try (XenstoreSocketClient fuzzer = new XenstoreSocketClient(server.socketPath()))
                {
                    fuzzer.channel().write(ByteBuffer.wrap(fuzzBytes(random)));
                }
                catch (final IOException ignored)
                {
                    // the server may close a garbage connection before we finish
                }
                if (round % 20 == 0)
                {
                    assertThat(good.write("/fuzz/round", Integer.toString(round).getBytes()).text()).isEqualTo("OK");
                }
            }
            assertThat(good.call(XsMessageType.READ, 0, "/fuzz/round").text()).isEqualTo("180");
            assertThat(xenstored.internalErrors()).isZero();
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedAndOthersKeepGoing() throws IOException
    {
        try (XenstoreSocketClient stuck = new XenstoreSocketClient(server.socketPath());
             XenstoreSocketClient good = new XenstoreSocketClient(server.socketPath()))
        {
            xenstored.write("/big", new byte[4000]);
            final byte[] bigRead = XsMessage.ofStrings(XsMessageType.READ, 2, 0, "/big").encode();
            stuck.channel().configureBlocking(false);
            for (int i = 0; i < 2000 && stuck.channel().isOpen(); i++)
            {
                try
                {
                    stuck.channel().write(ByteBuffer.wrap(bigRead));
                }
                catch (final IOException closed)
                {
                    break;
                }
                if (i % 100 == 0)
                {
                    assertThat(good.call(XsMessageType.READ, 0, "/big").payload()).hasSize(4000);
                }
            }
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> server.closedForProtocol() >= 1);
            assertThat(good.call(XsMessageType.GET_DOMAIN_PATH, 0, "2").text()).isEqualTo("/local/domain/2");
        }
        catch (final EOFException unexpected)
        {
            throw new AssertionError("the good client was closed", unexpected);
        }
    }

    static byte[] fuzzBytes(final Random random)
    {
        final byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        if (bytes.length >= 16 && random.nextBoolean())
        {
            final ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0, random.nextInt(25));
            header.putInt(8, 0);
            header.putInt(12, random.nextInt(bytes.length - 15));
        }
        return bytes;
    }
}
