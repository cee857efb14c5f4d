package org.coopvm.guest.xenstore;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenstore.XenstoreByteRing;
import org.coopvm.rings.xenstore.XenstoreInterfaceDescriptor;
import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsHeaderDescriptor;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageAssembler;
import org.coopvm.rings.xenstore.XsMessageType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A guest's xenstore client over its ring page. Requests go one at a time: the request is
 * copied into the request ring, xenstored is kicked (the event channel), and the client sleeps
 * on its {@link RingWaiter} until the reply with its request id arrives. Watch events read on
 * the way are delivered to their callbacks after the call, outside the lock.
 *
 * <p>Thread safety: any thread; requests are serialised. The event upcall ({@link #pollEvents})
 * never waits for a request in flight: it leaves the ring to the requester, who drains it again
 * when done. (It used to block on the requester's lock: a vCPU taking the xenstore upcall while
 * another vCPU of the guest waited for its reply in SCHEDOP_poll, having given its CPU slot back,
 * slept on that lock holding the only slot, and the scheduler suspended it for overrunning.)
 */
public final class XenstoreClient
{
    /** Attempts a {@link #transaction} makes before giving up with EAGAIN (xenbus's bound). */
    public static final int TRANSACTION_ATTEMPTS = XenstoreAccess.TRANSACTION_ATTEMPTS;

    private final XenstoreByteRing requests;
    private final XenstoreByteRing responses;
    private final AtomicBuffer page;
    private final Runnable kick;
    private final RingWaiter waiter;
    private final long timeoutNs;
    private final XsMessageAssembler assembler = new XsMessageAssembler();
    private final Queue<XsMessage> events = new ArrayDeque<>();
    /** Held by whoever reads the response ring: a requester for its whole exchange, or the event upcall for one drain. */
    private final ReentrantLock ringLock = new ReentrantLock();
    /** The upcall found the ring taken: the requester drains it again once done, so no event waits for the next kick. */
    private final AtomicBoolean pollMissed = new AtomicBoolean();
    private final Map<String, WatchCallback> callbacks = new ConcurrentHashMap<>();
    private final byte[] scratch = new byte[XenstoreInterfaceDescriptor.RING_SIZE];
    private XsMessage reply;
    private int nextRequestId = 1;

    /**
     * @param page      the mapped interface page.
     * @param kick      signals xenstored (an event on the xenstore port).
     * @param waiter    sleeps until xenstored signals back.
     * @param timeoutNs how long one request may take before it fails with EIO.
     */
    public XenstoreClient(final AtomicBuffer page, final Runnable kick, final RingWaiter waiter, final long timeoutNs)
    {
        this.page = page;
        this.requests = XenstoreByteRing.requests(page);
        this.responses = XenstoreByteRing.responses(page);
        this.kick = kick;
        this.waiter = waiter;
        this.timeoutNs = timeoutNs;
    }

    /** @return the value of a node. */
    public byte[] read(final String path)
    {
        return read(0, path);
    }

    /** @return the value of a node as UTF-8 text. */
    public String readString(final String path)
    {
        return new String(read(path), StandardCharsets.UTF_8);
    }

    /** Writes a node, creating missing parents. */
    public void write(final String path, final String value)
    {
        write(0, path, value);
    }

    /** @return the children of a node. */
    public List<String> directory(final String path)
    {
        return directory(0, path);
    }

    /** Removes a node and its subtree. */
    public void rm(final String path)
    {
        rm(0, path);
    }

    /** Creates a node if missing. */
    public void mkdir(final String path)
    {
        mkdir(0, path);
    }

    /**
     * Replaces a node's permissions (only its owner may; only dom0 may change the owner).
     *
     * @param path        the node.
     * @param permissions Xen's entries ({@code <n|r|w|b><domid>}), the owner first.
     */
    public void setPermissions(final String path, final List<String> permissions)
    {
        setPermissions(0, path, permissions);
    }

    /** @return this domain's home path. */
    public String domainPath(final int domid)
    {
        return call(XsMessage.ofStrings(XsMessageType.GET_DOMAIN_PATH, 0, 0, Integer.toString(domid))).text();
    }

    /**
     * Sets a watch; the callback gets the first event at once (Xen's rule), then every change.
     */
    public void watch(final String path, final String token, final WatchCallback callback)
    {
        callbacks.put(token, callback);
        call(XsMessage.ofStrings(XsMessageType.WATCH, 0, 0, path, token));
    }

    /** Removes a watch. */
    public void unwatch(final String path, final String token)
    {
        call(XsMessage.ofStrings(XsMessageType.UNWATCH, 0, 0, path, token));
        callbacks.remove(token);
    }

    /**
     * Runs the body in a transaction and commits; on EAGAIN runs it again, up to
     * {@link #TRANSACTION_ATTEMPTS} times.
     *
     * @param body the work; it must use the given handle and may run more than once.
     * @return what the committed run returned.
     */
    public <T> T transaction(final Function<Transaction, T> body)
    {
        for (int attempt = 1; ; attempt++)
        {
            final int txId = Integer.parseInt(call(XsMessage.ofStrings(XsMessageType.TRANSACTION_START, 0, 0, "")).text());
            final T result;
            try
            {
                result = body.apply(new Transaction(txId));
            }
            catch (final RuntimeException e)
            {
                end(txId, false);
                throw e;
            }
            try
            {
                end(txId, true);
                return result;
            }
            catch (final XenstoreException e)
            {
                if (e.errno() != XsErrno.EAGAIN || attempt == TRANSACTION_ATTEMPTS)
                {
                    throw e;
                }
            }
        }
    }

    /**
     * @return the node operations outside any transaction, in a {@link Transaction}'s shape
     *         (its {@link Transaction#id()} is 0, xs_wire's "no transaction").
     */
    public Transaction withoutTransaction()
    {
        return new Transaction(0);
    }

    /** Reads responses waiting on the ring and delivers watch events (the event upcall calls it). */
    public void pollEvents()
    {
        pollMissed.set(true);
        if (ringLock.tryLock())
        {
            try
            {
                pollMissed.set(false);
                drainResponses();
            }
            finally
            {
                ringLock.unlock();
            }
        }
        deliverEvents();
    }

    /** Operations inside one transaction. */
    public final class Transaction
    {
        private final int txId;

        private Transaction(final int txId)
        {
            this.txId = txId;
        }

        /** @return the transaction id. */
        public int id()
        {
            return txId;
        }

        /** @return the value of a node, as this transaction sees it. */
        public String read(final String path)
        {
            return new String(XenstoreClient.this.read(txId, path), StandardCharsets.UTF_8);
        }

        /** Writes a node inside the transaction. */
        public void write(final String path, final String value)
        {
            XenstoreClient.this.write(txId, path, value);
        }

        /** @return the children of a node, as this transaction sees it. */
        public List<String> directory(final String path)
        {
            return XenstoreClient.this.directory(txId, path);
        }

        /** Removes a node inside the transaction. */
        public void rm(final String path)
        {
            XenstoreClient.this.rm(txId, path);
        }

        /** Creates a node inside the transaction if missing. */
        public void mkdir(final String path)
        {
            XenstoreClient.this.mkdir(txId, path);
        }

        /** Replaces a node's permissions inside the transaction. */
        public void setPermissions(final String path, final List<String> permissions)
        {
            XenstoreClient.this.setPermissions(txId, path, permissions);
        }
    }

    private byte[] read(final int txId, final String path)
    {
        return call(XsMessage.ofStrings(XsMessageType.READ, 0, txId, path)).payload();
    }

    private void write(final int txId, final String path, final String value)
    {
        call(XsMessage.write(txId, path, value.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> directory(final int txId, final String path)
    {
        return call(XsMessage.ofStrings(XsMessageType.DIRECTORY, 0, txId, path)).strings();
    }

    private void rm(final int txId, final String path)
    {
        call(XsMessage.ofStrings(XsMessageType.RM, 0, txId, path));
    }

    private void mkdir(final int txId, final String path)
    {
        call(XsMessage.ofStrings(XsMessageType.MKDIR, 0, txId, path));
    }

    private void setPermissions(final int txId, final String path, final List<String> permissions)
    {
        final List<String> args = new ArrayList<>(permissions.size() + 1);
        args.add(path);
        args.addAll(permissions);
        call(XsMessage.ofStrings(XsMessageType.SET_PERMS, 0, txId, args.toArray(String[]::new)));
    }

    private void end(final int txId, final boolean commit)
    {
        call(XsMessage.ofStrings(XsMessageType.TRANSACTION_END, 0, txId, commit ? "T" : "F"));
    }

    private XsMessage call(final XsMessage request)
    {
        if (request.payload().length > XsHeaderDescriptor.PAYLOAD_MAX)
        {
            throw new XenstoreException(XsErrno.E2BIG, "request of " + request.payload().length + " bytes");
        }
        final XsMessage answer;
        ringLock.lock();
        try
        {
            answer = exchange(request);
        }
        finally
        {
            ringLock.unlock();
        }
        if (pollMissed.getAndSet(false))
        {
            pollEvents();
        }
        else
        {
            deliverEvents();
        }
        if (answer.type() == XsMessageType.ERROR.code())
        {
            throw new XenstoreException(XsErrno.fromName(answer.text()), describe(request));
        }
        return answer;
    }

    private XsMessage exchange(final XsMessage template)
    {
        final int reqId = nextRequestId++;
        final byte[] bytes = new XsMessage(template.type(), reqId, template.txId(), template.payload()).encode();
        final long deadline = System.nanoTime() + timeoutNs;
        int sent = 0;
        reply = null;
        while (reply == null || reply.reqId() != reqId)
        {
            checkPage(template);
            sent += send(bytes, sent);
            drainResponses();
            if (reply != null && reply.reqId() == reqId)
            {
                break;
            }
            sleep(deadline, template);
        }
        return reply;
    }

    private int send(final byte[] bytes, final int sent)
    {
        if (sent == bytes.length)
        {
            return 0;
        }
        final int written = requests.write(bytes, sent, bytes.length - sent);
        if (written > 0)
        {
            kick.run();
        }
        return Math.max(written, 0);
    }

    private void drainResponses()
    {
        int count;
        while ((count = responses.read(scratch, 0, scratch.length)) > 0)
        {
            assembler.feed(scratch, 0, count, this::accept);
            kick.run();
        }
    }

    private void accept(final XsMessage message)
    {
        if (message.type() == XsMessageType.WATCH_EVENT.code())
        {
            synchronized (events)
            {
                events.add(message);
            }
        }
        else
        {
            reply = message;
        }
    }

    private void deliverEvents()
    {
        final List<XsMessage> ready = new ArrayList<>();
        synchronized (events)
        {
            ready.addAll(events);
            events.clear();
        }
        for (final XsMessage event : ready)
        {
            final List<String> strings = event.strings();
            final WatchCallback callback = strings.size() == 2 ? callbacks.get(strings.get(1)) : null;
            if (callback != null)
            {
                callback.changed(strings.get(0), strings.get(1));
            }
        }
    }

    private void checkPage(final XsMessage request)
    {
        if (page.getIntVolatile(XenstoreInterfaceDescriptor.ERROR_OFFSET) != XenstoreInterfaceDescriptor.ERROR_NONE
            || assembler.broken())
        {
            throw new XenstoreException(XsErrno.EIO, "ring broken during " + describe(request));
        }
    }

    private void sleep(final long deadline, final XsMessage request)
    {
        final long left = deadline - System.nanoTime();
        if (left <= 0)
        {
            throw new XenstoreException(XsErrno.EIO, "no reply in time to " + describe(request));
        }
        try
        {
            waiter.await(left);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new XenstoreException(XsErrno.EIO, "interrupted during " + describe(request));
        }
    }

    private static String describe(final XsMessage request)
    {
        final XsMessageType type = request.knownType();
        final List<String> strings = request.strings();
        return (type == null ? "type " + request.type() : type.name()) + (strings.isEmpty() ? "" : " " + strings.getFirst());
    }
}
