package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
public final class XenstoredAccess implements XenstoreAccess, AutoCloseable
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
    public Optional<String> read(final String path)
    {
        return readIn(0, path);
    }

    @Override
    public void write(final String path, final String value)
    {
        writeIn(0, path, value);
    }

    @Override
    public void mkdir(final String path)
    {
        call(XsMessageType.MKDIR, 0, path);
    }

    @Override
    public void rm(final String path)
    {
        rmIn(0, path);
    }

    @Override
    public List<String> directory(final String path)
    {
        return directoryIn(0, path);
    }

    @Override
    public void setPermissions(final String path, final List<String> permissions)
    {
        setPermissionsIn(0, path, permissions);
    }

    @Override
    public void watch(final String path, final String token, final Watcher watcher)
    {
        watchers.put(token, watcher);
        try
        {
            call(XsMessageType.WATCH, 0, path, token);
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
        call(XsMessageType.UNWATCH, 0, path, token);
    }

    @Override
    public <T> T transaction(final Function<Transaction, T> body)
    {
        for (int attempt = 1; ; attempt++)
        {
            final int txId = Integer.parseInt(call(XsMessageType.TRANSACTION_START, 0, "").text());
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
                call(XsMessageType.TRANSACTION_END, txId, "T");
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

    private Optional<String> readIn(final int txId, final String path)
    {
        try
        {
            return Optional.of(call(XsMessageType.READ, txId, path).text());
        }
        catch (final XenstoreAccessException ex)
        {
            if (ex.errno() == XsErrno.ENOENT)
            {
                return Optional.empty();
            }
            throw ex;
        }
    }

    private void writeIn(final int txId, final String path, final String value)
    {
        call(XsMessage.write(txId, path, value.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> directoryIn(final int txId, final String path)
    {
        try
        {
            return call(XsMessageType.DIRECTORY, txId, path).strings();
        }
        catch (final XenstoreAccessException ex)
        {
            if (ex.errno() == XsErrno.ENOENT)
            {
                return List.of();
            }
            throw ex;
        }
    }

    private void rmIn(final int txId, final String path)
    {
        try
        {
            call(XsMessageType.RM, txId, path);
        }
        catch (final XenstoreAccessException ex)
        {
            if (ex.errno() != XsErrno.ENOENT)
            {
                throw ex;
            }
        }
    }

    private void setPermissionsIn(final int txId, final String path, final List<String> permissions)
    {
        final List<String> args = new ArrayList<>(permissions.size() + 1);
        args.add(path);
        args.addAll(permissions);
        call(XsMessageType.SET_PERMS, txId, args.toArray(String[]::new));
    }

    private void abortQuietly(final int txId)
    {
        try
        {
            call(XsMessageType.TRANSACTION_END, txId, "F");
        }
        catch (final XenstoreAccessException ignored)
        {
            // the transaction is gone either way
        }
    }

    private XsMessage call(final XsMessageType type, final int txId, final String... strings)
    {
        return call(XsMessage.ofStrings(type, 0, txId, strings));
    }

    private XsMessage call(final XsMessage template)
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

    /** Operations inside one transaction of this session. */
    private final class InTransaction implements Transaction
    {
        private final int txId;

        private InTransaction(final int txId)
        {
            this.txId = txId;
        }

        @Override
        public Optional<String> read(final String path)
        {
            return readIn(txId, path);
        }

        @Override
        public void write(final String path, final String value)
        {
            writeIn(txId, path, value);
        }

        @Override
        public void mkdir(final String path)
        {
            call(XsMessageType.MKDIR, txId, path);
        }

        @Override
        public void rm(final String path)
        {
            rmIn(txId, path);
        }

        @Override
        public List<String> directory(final String path)
        {
            return directoryIn(txId, path);
        }

        @Override
        public void setPermissions(final String path, final List<String> permissions)
        {
            setPermissionsIn(txId, path, permissions);
        }
    }
}
