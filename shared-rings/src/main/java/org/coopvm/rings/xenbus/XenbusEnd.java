package org.coopvm.rings.xenbus;

import org.coopvm.rings.xenstore.XsErrno;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One end of a split device on xenbus, the mechanics Linux's {@code xenbus_probe} gives every
 * driver: it knows its own directory and the other end's (from the {@code backend} or
 * {@code frontend} key the toolstack wrote), switches its own {@code state} in a transaction that
 * will not recreate a removed device ({@link #switchState}), and watches the other end's
 * {@code state}, calling the {@link Handler} with the old and new state each time it changes.
 * {@link XenbusFrontend} and {@link XenbusBackend} are handlers that follow Xen's rules.
 *
 * <p>The other end's state is untrusted input: a missing node (the other end vanished) counts as
 * {@link XenbusState#CLOSED}; a value that is not a state (or a node this end may not read) is
 * counted in {@link #otherEndErrors()}, reported to {@link Handler#invalidOtherState}, and
 * otherwise ignored (the last good state stands).
 *
 * <p>Threading: the handler runs on the thread that delivers the watch event, which depends on
 * the {@link XenstoreAccess}: in a guest, vCPU 0's xenstore upcall or a thread whose xenstore
 * request read the event; in dom0, the thread calling {@code XenstoredAccess.pollEvents()} (a
 * backend's agent). Whatever the thread, the handler runs for one end at a time and never nested
 * in itself: an event arriving while it runs (on another thread, or from the handler's own
 * xenstore calls) makes the running thread read the state again afterwards. The other methods
 * may be called from any thread.
 */
public final class XenbusEnd implements AutoCloseable
{
    /** Which end this is: it says which key of its directory names the other end. */
    public enum Role
    {
        /** The guest's end: its directory names the backend. */
        FRONTEND(XenbusDevice.BACKEND, XenbusDevice.BACKEND_ID),
        /** The serving domain's end: its directory names the frontend. */
        BACKEND(XenbusDevice.FRONTEND, XenbusDevice.FRONTEND_ID);

        private final String otherKey;
        private final String otherIdKey;

        Role(final String otherKey, final String otherIdKey)
        {
            this.otherKey = otherKey;
            this.otherIdKey = otherIdKey;
        }
    }

    /** What a driver does when the other end moves. */
    public interface Handler
    {
        /**
         * The other end's state changed (a vanished other end is {@link XenbusState#CLOSED}).
         *
         * @param end the end watching.
         * @param old the state seen before ({@link XenbusState#UNKNOWN} the first time).
         * @param now the state now.
         */
        void otherStateChanged(XenbusEnd end, XenbusState old, XenbusState now);

        /**
         * The other end's state node held garbage or could not be read (already counted).
         *
         * @param end    the end watching.
         * @param detail the value, shortened, or the error.
         */
        default void invalidOtherState(final XenbusEnd end, final String detail)
        {
        }
    }

    private final XenstoreAccess xenstore;
    private final Role role;
    private final String ownPath;
    private final String otherPath;
    private final int otherDomid;
    private final Handler handler;
    private final String token;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong otherEndErrors = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private volatile XenbusState state;
    private volatile XenbusState otherState = XenbusState.UNKNOWN;
    private volatile boolean watching;
    private volatile boolean closed;

    private XenbusEnd(final XenstoreAccess xenstore, final Role role, final String ownPath, final String otherPath,
        final int otherDomid, final XenbusState state, final Handler handler)
    {
        this.xenstore = xenstore;
        this.role = role;
        this.ownPath = ownPath;
        this.otherPath = otherPath;
        this.otherDomid = otherDomid;
        this.state = state;
        this.handler = handler;
        this.token = "xenbus:" + ownPath;
    }

    /**
     * Reads the end's directory: its state and the other end's path and domid. Nothing is watched
     * until {@link #start}.
     *
     * @param xenstore the connection of this end's domain.
     * @param role     frontend or backend.
     * @param ownPath  this end's directory (absolute).
     * @param handler  told about the other end.
     * @return the end.
     * @throws XenstoreAccessException ENOENT when the directory, its state or the other end's
     *                                 keys are missing, EINVAL when the other end's id is not a domid.
     */
    public static XenbusEnd open(final XenstoreAccess xenstore, final Role role, final String ownPath, final Handler handler)
    {
        final String ownState = required(xenstore, ownPath, XenbusDevice.STATE);
        final String otherPath = required(xenstore, ownPath, role.otherKey);
        final String otherId = required(xenstore, ownPath, role.otherIdKey);
        final int otherDomid = parseDomid(otherId);
        if (otherDomid < 0 || !otherPath.startsWith("/"))
        {
            throw new XenstoreAccessException(XsErrno.EINVAL, ownPath + " names " + otherPath + " of domain '" + otherId + "'");
        }
        return new XenbusEnd(xenstore, role, ownPath, otherPath, otherDomid, stateOrUnknown(ownState), handler);
    }

    /**
     * Watches the other end's {@code state}; the handler hears its current state soon after.
     *
     * @return this.
     */
    public XenbusEnd start()
    {
        if (!watching && !closed)
        {
            watching = true;
            xenstore.watch(otherStatePath(), token, (path, ignored) -> otherStateMayHaveChanged());
        }
        return this;
    }

    /**
     * Switches this end's state ({@code xenbus_switch_state}).
     *
     * @param next the new state.
     * @return false when the device's directory is gone (nothing is written then).
     */
    public boolean switchState(final XenbusState next)
    {
        return next == state || switchState(next, Map.of());
    }

    /**
     * Writes keys into this end's directory and then its state, in one transaction (retried on
     * EAGAIN), as a frontend publishes its ring with {@link XenbusState#INITIALISED}. Nothing is
     * written when the directory's {@code state} is gone: a removed device is not recreated.
     *
     * @param next the new state.
     * @param keys names (relative to this end's directory) and values.
     * @return false when the device's directory is gone.
     */
    public boolean switchState(final XenbusState next, final Map<String, String> keys)
    {
        final boolean written = write(keys, next);
        if (written)
        {
            state = next;
        }
        return written;
    }

    /**
     * Writes keys into this end's directory without changing its state, in one transaction
     * (retried on EAGAIN), as a backend publishes the disk's size before it goes Connected.
     * Nothing is written when the directory's {@code state} is gone.
     *
     * @param keys names (relative to this end's directory) and values.
     * @return false when the device's directory is gone.
     */
    public boolean writeOwn(final Map<String, String> keys)
    {
        return write(keys, null);
    }

    /**
     * @param key a key of the other end's directory.
     * @return its value (untrusted when the other end is a guest), empty when missing.
     */
    public Optional<String> readOther(final String key)
    {
        return xenstore.read(otherPath + "/" + key);
    }

    /** @return this end's state as it last wrote it (or found it at {@link #open}). */
    public XenbusState state()
    {
        return state;
    }

    /** @return the other end's state as last seen ({@link XenbusState#UNKNOWN} before the first event). */
    public XenbusState otherState()
    {
        return otherState;
    }

    /** @return frontend or backend. */
    public Role role()
    {
        return role;
    }

    /** @return this end's directory. */
    public String ownPath()
    {
        return ownPath;
    }

    /** @return the other end's directory. */
    public String otherPath()
    {
        return otherPath;
    }

    /** @return the other end's domain. */
    public int otherDomid()
    {
        return otherDomid;
    }

    /** @return times the other end's state held garbage or could not be read. */
    public long otherEndErrors()
    {
        return otherEndErrors.get();
    }

    /** @return times the handler threw (a bug in the driver; the end keeps going). */
    public long handlerErrors()
    {
        return handlerErrors.get();
    }

    /** Stops watching (the handler is not called again). Leaves the state as it is. */
    @Override
    public void close()
    {
        closed = true;
        if (watching)
        {
            watching = false;
            try
            {
                xenstore.unwatch(otherStatePath(), token);
            }
            catch (final XenstoreAccessException ignored)
            {
                // the connection or the watch is gone already: nothing left to stop
            }
        }
    }

    /** The watch fired: read and report the other end's state, one thread at a time. */
    private void otherStateMayHaveChanged()
    {
        if (pending.getAndIncrement() != 0)
        {
            return; // the thread inside reads again when done
        }
        do
        {
            pending.set(1);
            readOtherState();
        }
        while (!pending.compareAndSet(1, 0));
    }

    private void readOtherState()
    {
        if (closed)
        {
            return;
        }
        final XenbusState now;
        try
        {
            now = xenstore.read(otherStatePath()).map(XenbusState::parse).orElse(XenbusState.CLOSED);
        }
        catch (final XenbusStateException | XenstoreAccessException ex)
        {
            otherEndErrors.incrementAndGet();
            handler.invalidOtherState(this, ex instanceof XenbusStateException bad ? bad.raw() : ex.getMessage());
            return;
        }
        final XenbusState old = otherState;
        if (now != old)
        {
            otherState = now;
            report(old, now);
        }
    }

    private void report(final XenbusState old, final XenbusState now)
    {
        try
        {
            handler.otherStateChanged(this, old, now);
        }
        catch (final RuntimeException ex)
        {
            handlerErrors.incrementAndGet();
        }
    }

    private boolean write(final Map<String, String> keys, final XenbusState next)
    {
        return xenstore.transaction(tx ->
        {
            if (tx.read(ownPath(XenbusDevice.STATE)).isEmpty())
            {
                return false;
            }
            keys.forEach((key, value) -> tx.write(ownPath(key), value));
            if (next != null)
            {
                tx.write(ownPath(XenbusDevice.STATE), next.text());
            }
            return true;
        });
    }

    private String otherStatePath()
    {
        return otherPath + "/" + XenbusDevice.STATE;
    }

    private String ownPath(final String key)
    {
        return ownPath + "/" + key;
    }

    private static String required(final XenstoreAccess xenstore, final String dir, final String key)
    {
        return xenstore.read(dir + "/" + key)
            .orElseThrow(() -> new XenstoreAccessException(XsErrno.ENOENT, dir + " has no " + key));
    }

    private static XenbusState stateOrUnknown(final String text)
    {
        try
        {
            return XenbusState.parse(text);
        }
        catch (final XenbusStateException ex)
        {
            return XenbusState.UNKNOWN;
        }
    }

    private static int parseDomid(final String text)
    {
        if (text.isEmpty() || text.length() > 5)
        {
            return -1;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) < '0' || text.charAt(i) > '9')
            {
                return -1;
            }
        }
        return Integer.parseInt(text);
    }
}
