package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A test client session on a {@link Xenstored}: requests are served synchronously, so replies
 * and events are in {@link #received} when a call returns.
 */
final class XsProbe
{
    final Queue<XsMessage> received = new ArrayDeque<>();
    final XenstoreSession session;
    private final Xenstored xenstored;
    private int reqId = 100;

    XsProbe(final Xenstored xenstored, final int domid)
    {
        this.xenstored = xenstored;
        this.session = xenstored.connect(domid, received::add);
    }

    /** Sends a request and returns its reply; events stay queued. */
    XsMessage call(final XsMessageType type, final int txId, final String... strings)
    {
        return call(XsMessage.ofStrings(type, 0, txId, strings));
    }

    XsMessage call(final XsMessage template)
    {
        final int id = ++reqId;
        xenstored.handle(session, new XsMessage(template.type(), id, template.txId(), template.payload()));
        XsMessage reply = null;
        final Queue<XsMessage> rest = new ArrayDeque<>();
        for (final XsMessage message : received)
        {
            if (reply == null && message.reqId() == id && message.type() != XsMessageType.WATCH_EVENT.code())
            {
                reply = message;
            }
            else
            {
                rest.add(message);
            }
        }
        received.clear();
        received.addAll(rest);
        if (reply == null)
        {
            throw new AssertionError("no reply to request " + id);
        }
        return reply;
    }

    /** @return "OK", the value, or "ERR:<name>". */
    String text(final XsMessageType type, final int txId, final String... strings)
    {
        final XsMessage reply = call(type, txId, strings);
        return reply.type() == XsMessageType.ERROR.code() ? "ERR:" + reply.text() : reply.text();
    }

    String write(final String path, final String value)
    {
        return write(0, path, value);
    }

    String write(final int txId, final String path, final String value)
    {
        final XsMessage reply = call(XsMessage.write(txId, path, value.getBytes(StandardCharsets.UTF_8)));
        return reply.type() == XsMessageType.ERROR.code() ? "ERR:" + reply.text() : reply.text();
    }

    String read(final String path)
    {
        return text(XsMessageType.READ, 0, path);
    }

    /** @return the watch events received so far as "path|token", and forgets them. */
    List<String> events()
    {
        final List<String> events = new ArrayList<>();
        XsMessage message;
        while ((message = received.poll()) != null)
        {
            if (message.type() == XsMessageType.WATCH_EVENT.code())
            {
                final List<String> strings = message.strings();
                events.add(strings.get(0) + "|" + strings.get(1));
            }
        }
        return events;
    }
}
