package org.coopvm.hypervisor.xenstore.transport;

import org.coopvm.rings.xenstore.XsHeaderDescriptor;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageAssembler;
import org.coopvm.rings.xenstore.XsMessageType;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A blocking xs_wire client on xenstored's Unix socket, for dom0 tools ({@code coop xenstore})
 * and tests. Replies are matched by request id; watch events read meanwhile are kept for
 * {@link #nextEvent}.
 *
 * <p>Not thread safe: one thread per client.
 */
public final class XenstoreSocketClient implements AutoCloseable
{
    private final SocketChannel channel;
    private final XsMessageAssembler assembler = new XsMessageAssembler();
    private final Queue<XsMessage> events = new ArrayDeque<>();
    private final Queue<XsMessage> replies = new ArrayDeque<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(XsHeaderDescriptor.HEADER_LENGTH + XsHeaderDescriptor.PAYLOAD_MAX);
    private int nextRequestId = 1;

    /**
     * @param socket the socket path.
     * @throws IOException when nothing listens there.
     */
    public XenstoreSocketClient(final Path socket) throws IOException
    {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
    }

    /**
     * Sends a request and waits for its reply (an ERROR reply is returned, not thrown).
     *
     * @param type    the type.
     * @param txId    the transaction id.
     * @param strings arguments, each sent with a NUL.
     * @return the reply.
     * @throws IOException when the connection breaks.
     */
    public XsMessage call(final XsMessageType type, final int txId, final String... strings) throws IOException
    {
        return call(XsMessage.ofStrings(type, 0, txId, strings));
    }

    /**
     * Sends a WRITE (path, NUL, value without NUL).
     *
     * @return the reply.
     * @throws IOException when the connection breaks.
     */
    public XsMessage write(final String path, final byte[] value) throws IOException
    {
        return call(XsMessage.write(0, path, value));
    }

    /**
     * Sends a message with a fresh request id and waits for the reply to it.
     *
     * @throws IOException when the connection breaks.
     */
    public XsMessage call(final XsMessage template) throws IOException
    {
        final int reqId = nextRequestId++;
        final ByteBuffer out = ByteBuffer.wrap(new XsMessage(template.type(), reqId, template.txId(), template.payload()).encode());
        while (out.hasRemaining())
        {
            channel.write(out);
        }
        while (true)
        {
            final XsMessage reply = replies.poll();
            if (reply != null && reply.reqId() == reqId)
            {
                return reply;
            }
            readMore();
        }
    }

    /**
     * @return the next watch event, waiting for it.
     * @throws IOException when the connection breaks.
     */
    public XsMessage nextEvent() throws IOException
    {
        while (events.isEmpty())
        {
            readMore();
        }
        return events.poll();
    }

    /** @return the channel (tests send raw bytes on it). */
    public SocketChannel channel()
    {
        return channel;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }

    private void readMore() throws IOException
    {
        readBuffer.clear();
        final int count = channel.read(readBuffer);
        if (count < 0)
        {
            throw new EOFException("xenstored closed the connection");
        }
        if (!assembler.feed(readBuffer.array(), 0, count, this::accept))
        {
            throw new IOException("xenstored sent an oversized message");
        }
    }

    private void accept(final XsMessage message)
    {
        if (message.type() == XsMessageType.WATCH_EVENT.code())
        {
            events.add(message);
        }
        else
        {
            replies.add(message);
        }
    }
}
