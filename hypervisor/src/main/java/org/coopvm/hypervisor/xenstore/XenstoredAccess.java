package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenbus.XenstoreNodes;
import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@link XenstoreAccess} in the host's JVM: a session of {@link Xenstored} ({@link Xenstored#connect})
 * fed xs_wire messages with {@link Xenstored#handle}, as a dom0 program on xenstored's socket
 * would be, but without the socket. dom0's backends and the toolstack use it ({@link #dom0});
 * tests also connect as a guest's domid, and get that guest's permissions.
 *
 * <p>Replies come back within {@link Xenstored#handle} on the calling thread. Watch events are
 * queued by xenstored (under its lock, from whichever thread changed the node) and the
 * {@code eventsQueued} hook is run (it must only wake someone, e.g. unpark an agent); the
 * watchers run when the owner calls {@link #pollEvents()}, on that thread.
 *
 * <p>Thread safety: requests from any thread; {@link #pollEvents()} from one thread at a time.
 */
public final class XenstoredAccess extends XsWireNodes implements XenstoreAccess, AutoCloseable
{
    private final Xenstored xenstored;
    private final XenstoreSession session;
    private final Runnable eventsQueued;
    private final Map<Integer, XsMessage> replies = new ConcurrentHashMap<>();
    private final Queue<XsMessage> events = new ConcurrentLinkedQueue<>();
    private final Map<String, Watcher> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger nextRequestId = new AtomicInteger(1);
    private final AtomicLong transactionRetries = new AtomicLong();

    /**
     * @param xenstored    the daemon.
     * @param domid        whose permissions the session has (0: dom0).
     * @param eventsQueued run when a watch event is queued for {@link #pollEvents()}; called under
     *                     xenstored's lock, so it must not block.
     */
    public XenstoredAccess(final Xenstored xenstored, final int domid, final Runnable eventsQueued)
    {
        super(0);
        this.xenstored = xenstored;
        this.eventsQueued = eventsQueued;
        this.session = xenstored.connect(domid, this::receive);
    }

    /**
     * @param xenstored    the daemon.
     * @param eventsQueued run when a watch event is queued (must not block).
     * @return a dom0 session.
     */
    public static XenstoredAccess dom0(final Xenstored xenstored, final Runnable eventsQueued)
    {
        return new XenstoredAccess(xenstored, 0, eventsQueued);
    }

    @Override
    public void watch(final String path, final String token, final Watcher watcher)
    {
        watchers.put(token, watcher);
        try
        {
            call(XsMessageType.WATCH, path, token);
        }
        catch (final XenstoreAccessException ex)
        {
            watchers.remove(token);
            throw ex;
        }
    }

    @Override
    public void unwatch(final String path, final String token)
    {
        watchers.remove(token);
        call(XsMessageType.UNWATCH, path, token);
    }

    @Override
    public <T> T transaction(final Function<XenstoreNodes, T> body)
    {
        for (int attempt = 1; ; attempt++)
        {
            final int txId = Integer.parseInt(call(XsMessageType.TRANSACTION_START, "").text());
            final T result;
            try
            {
                result = body.apply(new InTransaction(txId));
            }
            catch (final RuntimeException ex)
            {
                abortQuietly(txId);
                throw ex;
            }
            try
            {
                new InTransaction(txId).call(XsMessageType.TRANSACTION_END, "T");
                return result;
            }
            catch (final XenstoreAccessException ex)
            {
                if (ex.errno() != XsErrno.EAGAIN || attempt >= TRANSACTION_ATTEMPTS)
                {
                    throw ex;
                }
                transactionRetries.incrementAndGet();
            }
        }
    }

    /**
     * Runs the watchers of the events queued so far, on this thread.
     *
     * @return events delivered.
     */
    public int pollEvents()
    {
        final List<XsMessage> ready = new ArrayList<>();
        XsMessage event;
        while ((event = events.poll()) != null)
        {
            ready.add(event);
        }
        for (final XsMessage message : ready)
        {
            final List<String> strings = message.strings();
            final Watcher watcher = strings.size() == 2 ? watchers.get(strings.get(1)) : null;
            if (watcher != null)
            {
                watcher.changed(strings.get(0), strings.get(1));
            }
        }
        return ready.size();
    }

    /** @return whether watch events wait for {@link #pollEvents()}. */
    public boolean hasEvents()
    {
        return !events.isEmpty();
    }

    /** @return transactions run again after an EAGAIN commit. */
    public long transactionRetries()
    {
        return transactionRetries.get();
    }

    /** Drops the session: its watches and open transactions go. */
    @Override
    public void close()
    {
        xenstored.disconnect(session);
        events.clear();
    }

    private void receive(final XsMessage message)
    {
        if (message.type() == XsMessageType.WATCH_EVENT.code())
        {
            events.add(message);
            eventsQueued.run();
        }
        else
        {
            replies.put(message.reqId(), message);
        }
    }

    private void abortQuietly(final int txId)
    {
        try
        {
            new InTransaction(txId).call(XsMessageType.TRANSACTION_END, "F");
        }
        catch (final XenstoreAccessException ignored)
        {
            // the transaction is gone either way
        }
    }

    @Override
    XsMessage call(final XsMessage template)
    {
        final int reqId = nextRequestId.getAndIncrement();
        xenstored.handle(session, new XsMessage(template.type(), reqId, template.txId(), template.payload()));
        final XsMessage reply = replies.remove(reqId);
        if (reply == null)
        {
            throw new XenstoreAccessException(XsErrno.EIO, "no reply to " + describe(template) + ": session closed");
        }
        if (reply.type() == XsMessageType.ERROR.code())
        {
            throw new XenstoreAccessException(XsErrno.fromName(reply.text()), describe(template));
        }
        return reply;
    }

    private static String describe(final XsMessage request)
    {
        final XsMessageType type = request.knownType();
        final List<String> strings = request.strings();
        return (type == null ? "type " + request.type() : type.name()) + (strings.isEmpty() ? "" : " " + strings.getFirst());
    }

    /** The node operations inside one transaction of this session. */
    private final class InTransaction extends XsWireNodes
    {
        private InTransaction(final int txId)
        {
            super(txId);
        }

        @Override
        XsMessage call(final XsMessage request)
        {
            return XenstoredAccess.this.call(request);
        }
    }
}
