package org.coopvm.hypervisor.xenstore.transport;

import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.hypervisor.xenstore.XenstoreSession;
import org.coopvm.rings.xenstore.XsMessageAssembler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * xenstored's Unix socket for dom0 tools ({@code <run dir>/xenstored.sock}; Xen's tools find it
 * through {@code XENSTORED_PATH}). One selector thread serves every connection; each client is
 * dom0. A connection that announces an oversized payload, or lets more than the configured
 * output pile up unread, is closed, as Xen closes it; the others keep being served.
 *
 * <p>Thread safety: {@link #start} and {@link #close} from the owner's thread; the server runs
 * on its own thread.
 */
public final class XenstoreSocketServer implements AutoCloseable
{
    /** File name of the socket in the run directory. */
    public static final String SOCKET_NAME = "xenstored.sock";

    private static final int READ_BYTES = 8192;

    private final Xenstored xenstored;
    private final Path socketPath;
    private final Queue<Connection> needsWrite = new ConcurrentLinkedQueue<>();
    private final AtomicLong closedForProtocol = new AtomicLong();
    private final Set<Connection> connections = new HashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BYTES);
    private Selector selector;
    private ServerSocketChannel server;
    private volatile Thread thread;

    /**
     * @param xenstored  the daemon.
     * @param socketPath where to bind (a stale file there is replaced).
     */
    public XenstoreSocketServer(final Xenstored xenstored, final Path socketPath)
    {
        this.xenstored = xenstored;
        this.socketPath = socketPath;
    }

    /** Binds the socket (mode 0600) and starts serving. */
    public void start()
    {
        try
        {
            Files.deleteIfExists(socketPath);
            selector = Selector.open();
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
            Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot bind " + socketPath, e);
        }
        thread = Thread.ofPlatform().daemon().name("xenstored-socket").start(this::run);
    }

    /** @return the socket's path. */
    public Path socketPath()
    {
        return socketPath;
    }

    /** @return true while the serving thread runs. */
    public boolean running()
    {
        final Thread serving = thread;
        return serving != null && serving.isAlive();
    }

    /** @return connections closed for a protocol violation or unread output. */
    public long closedForProtocol()
    {
        return closedForProtocol.get();
    }

    @Override
    public void close()
    {
        if (thread == null)
        {
            return;
        }
        try
        {
            selector.close();
            server.close();
            thread.join(5_000);
            Files.deleteIfExists(socketPath);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run()
    {
        try
        {
            while (selector.isOpen())
            {
                selector.select();
                final List<SelectionKey> ready = new ArrayList<>(selector.selectedKeys());
                selector.selectedKeys().clear();
                for (final SelectionKey key : ready)
                {
                    serveSafely(key);
                }
                flushPending();
            }
        }
        catch (final IOException | ClosedSelectorException e)
        {
            // closing: the selector went away under select()
        }
        finally
        {
            closeAll();
        }
    }

    private void serveSafely(final SelectionKey key) throws IOException
    {
        try
        {
            serve(key);
        }
        catch (final CancelledKeyException e)
        {
            if (key.attachment() instanceof Connection connection)
            {
                closeConnection(connection);
            }
        }
    }

    private void serve(final SelectionKey key) throws IOException
    {
        if (!key.isValid())
        {
            return;
        }
        if (key.isAcceptable())
        {
            accept();
            return;
        }
        final Connection connection = (Connection)key.attachment();
        if (key.isReadable())
        {
            read(connection);
        }
        if (key.isValid() && key.isWritable())
        {
            flush(connection);
        }
    }

    private void accept() throws IOException
    {
        final SocketChannel channel = server.accept();
        if (channel == null)
        {
            return;
        }
        channel.configureBlocking(false);
        final SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        final Connection connection = new Connection(channel, key, new OutputQueue(xenstored.config().maxOutputBytes()));
        connection.session = xenstored.connect(0, message ->
        {
            connection.output.offer(message);
            needsWrite.add(connection);
            if (Thread.currentThread() != thread)
            {
                selector.wakeup();
            }
        });
        key.attach(connection);
        connections.add(connection);
    }

    private void read(final Connection connection)
    {
        readBuffer.clear();
        final int count;
        try
        {
            count = connection.channel.read(readBuffer);
        }
        catch (final IOException e)
        {
            closeConnection(connection);
            return;
        }
        if (count < 0)
        {
            closeConnection(connection);
            return;
        }
        final boolean intact = connection.assembler.feed(readBuffer.array(), 0, count,
            message -> xenstored.handle(connection.session, message));
        if (!intact)
        {
            closedForProtocol.incrementAndGet();
            closeConnection(connection);
        }
    }

    private void flushPending()
    {
        Connection connection;
        while ((connection = needsWrite.poll()) != null)
        {
            if (connection.key.isValid())
            {
                flush(connection);
            }
        }
    }

    private void flush(final Connection connection)
    {
        if (connection.output.overflowed())
        {
            closedForProtocol.incrementAndGet();
            closeConnection(connection);
            return;
        }
        try
        {
            connection.output.drainTo((bytes, offset, length) -> connection.channel.write(ByteBuffer.wrap(bytes, offset, length)));
            final int ops = connection.output.empty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
            if (connection.key.isValid())
            {
                connection.key.interestOps(ops);
            }
        }
        catch (final IOException e)
        {
            closeConnection(connection);
        }
    }

    private void closeConnection(final Connection connection)
    {
        if (connection.session != null)
        {
            xenstored.disconnect(connection.session);
        }
        connections.remove(connection);
        connection.key.cancel();
        try
        {
            connection.channel.close();
        }
        catch (final IOException ignored)
        {
            // closing a broken socket: nothing left to do
        }
    }

    private void closeAll()
    {
        for (final Connection connection : List.copyOf(connections))
        {
            closeConnection(connection);
        }
    }

    private static final class Connection
    {
        private final SocketChannel channel;
        private final SelectionKey key;
        private final OutputQueue output;
        private final XsMessageAssembler assembler = new XsMessageAssembler();
        private XenstoreSession session;

        private Connection(final SocketChannel channel, final SelectionKey key, final OutputQueue output)
        {
            this.channel = channel;
            this.key = key;
            this.output = output;
        }
    }
}
