package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsHeaderDescriptor;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * xenstored: serves XenStore requests from any transport. A transport {@link #connect}s a
 * session per client, feeds it complete messages with {@link #handle}, and receives replies
 * and watch events through the session's sink. The toolstack uses the dom0 methods
 * ({@link #write}, {@link #read}, {@link #rm}, ...) and announces domains with
 * {@link #introduceDomain} / {@link #releaseDomain}.
 *
 * <p>Thread safety: every public method may be called from any thread; requests are served one
 * at a time under one lock, and sinks are called under it (they must only enqueue).
 */
public final class Xenstored
{
    /** Watch path fired when a domain is introduced. */
    public static final String INTRODUCE_DOMAIN = "@introduceDomain";
    /** Watch path fired when a domain is released. */
    public static final String RELEASE_DOMAIN = "@releaseDomain";

    private static final Permissions SPECIAL_PERMS = Permissions.of(0, Permissions.Access.NONE);

    private final ReentrantLock lock = new ReentrantLock();
    private final XenstoreConfig config;
    private final Store store = new Store();
    private final Watches watches = new Watches();
    private final NodeOps ops;
    private final RequestTable table = new RequestTable();
    private final List<XenstoreSession> sessions = new ArrayList<>();
    private final Set<Integer> introduced = new HashSet<>(Set.of(0));
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong internalErrors = new AtomicLong();

    /**
     * @param config limits and quotas.
     */
    public Xenstored(final XenstoreConfig config)
    {
        this.config = config;
        this.ops = new NodeOps(config);
        new NodeHandlers(ops).registerIn(table);
        new WatchHandlers(watches, config).registerIn(table);
        new TransactionHandlers(store, config).registerIn(table);
        new DomainHandlers(this).registerIn(table);
    }

    /** @return the limits. */
    public XenstoreConfig config()
    {
        return config;
    }

    /**
     * @param domid the client's domain (0 for dom0 tools).
     * @param sink  receives replies and watch events; called under the lock, must not block.
     * @return the session to pass to {@link #handle}.
     */
    public XenstoreSession connect(final int domid, final Consumer<XsMessage> sink)
    {
        lock.lock();
        try
        {
            final XenstoreSession session = new XenstoreSession(domid, sink);
            sessions.add(session);
            return session;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Drops a session with its watches and transactions. */
    public void disconnect(final XenstoreSession session)
    {
        lock.lock();
        try
        {
            closeLocked(session);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Serves one request and sends its reply (and any watch events) through the sinks.
     *
     * @param session the client's session.
     * @param message a complete message, privately owned.
     */
    public void handle(final XenstoreSession session, final XsMessage message)
    {
        lock.lock();
        try
        {
            if (session.open())
            {
                requests.incrementAndGet();
                serve(session, message);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    private void serve(final XenstoreSession session, final XsMessage message)
    {
        final RequestHandler handler = table.handler(message.type());
        try
        {
            if (handler == null)
            {
                throw new XsException(XsErrno.ENOSYS);
            }
            final Request request = new Request(session, message, viewFor(session, message));
            final byte[] reply = handler.handle(request);
            if (reply.length > XsHeaderDescriptor.PAYLOAD_MAX)
            {
                throw new XsException(XsErrno.E2BIG);
            }
            session.send(new XsMessage(message.type(), message.reqId(), message.txId(), reply));
            afterSuccess(session, request);
        }
        catch (final XsException e)
        {
            errors.incrementAndGet();
            session.send(XsMessage.ofStrings(XsMessageType.ERROR, message.reqId(), message.txId(), e.errno().name()));
        }
        catch (final RuntimeException e)
        {
            internalErrors.incrementAndGet();
            session.send(XsMessage.ofStrings(XsMessageType.ERROR, message.reqId(), message.txId(), XsErrno.EIO.name()));
        }
    }

    private void afterSuccess(final XenstoreSession session, final Request request)
    {
        if (request.afterReply() != null)
        {
            request.afterReply().run();
        }
        if (request.view() instanceof Transaction transaction && session.transactions().get(transaction.id()) == transaction)
        {
            transaction.queue(request.events());
        }
        else
        {
            request.events().forEach(watches::fire);
        }
    }

    private NodeView viewFor(final XenstoreSession session, final XsMessage message)
    {
        if (message.txId() == 0 || message.type() == XsMessageType.TRANSACTION_START.code())
        {
            return store;
        }
        final Transaction transaction = session.transactions().get(message.txId());
        if (transaction == null)
        {
            throw new XsException(XsErrno.ENOENT);
        }
        return transaction;
    }

    /** Marks a domain introduced and fires {@code @introduceDomain}. */
    public void introduceDomain(final int domid)
    {
        locked(events -> introduceLocked(domid, events));
    }

    /** Drops the domain's sessions (watches, transactions) and fires {@code @releaseDomain}. */
    public void releaseDomain(final int domid)
    {
        locked(events -> releaseLocked(domid, events));
    }

    /** dom0: writes a value, creating missing parents (which inherit permissions). */
    public void write(final String path, final byte[] value)
    {
        locked(events -> ops.write(store, 0, XsPaths.canonical(0, path), value, events));
    }

    /** dom0: creates a node if missing. */
    public void mkdir(final String path)
    {
        locked(events -> ops.mkdir(store, 0, XsPaths.canonical(0, path), events));
    }

    /** dom0: removes a node and its subtree (missing is fine). */
    public void rm(final String path)
    {
        locked(events ->
        {
            final String absolute = XsPaths.canonical(0, path);
            if (store.node(absolute) != null)
            {
                ops.rm(store, 0, absolute, events);
            }
        });
    }

    /** dom0: replaces a node's permissions. */
    public void setPermissions(final String path, final Permissions perms)
    {
        locked(events -> ops.setPerms(store, 0, XsPaths.canonical(0, path), perms, events));
    }

    /** dom0: reads a value. */
    public Optional<byte[]> read(final String path)
    {
        lock.lock();
        try
        {
            final Node node = store.node(XsPaths.canonical(0, path));
            return node == null ? Optional.empty() : Optional.of(node.value().clone());
        }
        finally
        {
            lock.unlock();
        }
    }

    /** dom0: lists a node's children (empty if missing). */
    public List<String> directory(final String path)
    {
        lock.lock();
        try
        {
            final Node node = store.node(XsPaths.canonical(0, path));
            return node == null ? List.of() : node.children();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return nodes in the store. */
    public int nodeCount()
    {
        lock.lock();
        try
        {
            return store.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return requests served. */
    public long requests()
    {
        return requests.get();
    }

    /** @return requests answered with an error. */
    public long errors()
    {
        return errors.get();
    }

    /** @return requests that hit a bug in xenstored (answered EIO; should stay 0). */
    public long internalErrors()
    {
        return internalErrors.get();
    }

    void introduceLocked(final int domid, final List<WatchEvent> events)
    {
        introduced.add(domid);
        events.add(new WatchEvent(INTRODUCE_DOMAIN, SPECIAL_PERMS, true));
    }

    void releaseLocked(final int domid, final List<WatchEvent> events)
    {
        introduced.remove(domid);
        for (final XenstoreSession session : List.copyOf(sessions))
        {
            if (session.domid() == domid)
            {
                closeLocked(session);
            }
        }
        events.add(new WatchEvent(RELEASE_DOMAIN, SPECIAL_PERMS, true));
    }

    boolean introducedLocked(final int domid)
    {
        return introduced.contains(domid);
    }

    private void closeLocked(final XenstoreSession session)
    {
        watches.removeAll(session);
        session.close();
        sessions.remove(session);
    }

    private void locked(final Consumer<List<WatchEvent>> change)
    {
        lock.lock();
        try
        {
            final List<WatchEvent> events = new ArrayList<>();
            change.accept(events);
            events.forEach(watches::fire);
        }
        finally
        {
            lock.unlock();
        }
    }
}
