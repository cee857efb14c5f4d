package org.coopvm.rings.xenbus;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Xen's backend rules on a {@link XenbusEnd} (what Linux's blkback and netback do): at start the
 * backend publishes its features with {@link XenbusState#INIT_WAIT}; once the frontend is
 * {@link XenbusState#INITIALISED} (or already Connected) it reads the frontend's details, maps
 * and binds, and goes {@link XenbusState#CONNECTED}; when the frontend is Closing it releases
 * the device and goes {@link XenbusState#CLOSING}, and when the frontend is Closed or gone it
 * goes {@link XenbusState#CLOSED}. A closed backend waits again (InitWait) if the frontend comes
 * back to Initialising. Details that do not map or bind make the backend go Closing (Linux's
 * {@code xenbus_dev_fatal}); it does not retry them.
 *
 * <p>Threading: the {@link Driver} runs on the threads {@link XenbusEnd} describes, one call at a
 * time (this object's monitor, also taken by {@link #close}).
 */
public final class XenbusBackend implements XenbusEnd.Handler, AutoCloseable
{
    /** The device-specific part of a backend. */
    public interface Driver
    {
        /**
         * @param end the backend's end.
         * @return keys to publish with InitWait (features); none by default.
         */
        default Map<String, String> features(final XenbusEnd end)
        {
            return Map.of();
        }

        /**
         * The frontend published its details: read them ({@link XenbusEnd#readOther}, untrusted),
         * map and bind.
         *
         * @param end the backend's end.
         * @return whether the device is connected (false: the backend goes Closing).
         */
        boolean connect(XenbusEnd end);

        /**
         * Release what {@link #connect} took. Called once per successful connect.
         *
         * @param end the backend's end.
         */
        void disconnect(XenbusEnd end);

        /**
         * The frontend's state node held garbage (counted by the end; the backend carries on).
         *
         * @param end    the backend's end.
         * @param detail the value, shortened, or the error.
         */
        default void invalidState(final XenbusEnd end, final String detail)
        {
        }
    }

    private final Driver driver;
    private final AtomicLong failures = new AtomicLong();
    private XenbusEnd end;
    private boolean connected;

    private XenbusBackend(final Driver driver)
    {
        this.driver = driver;
    }

    /**
     * Opens the backend's directory, goes InitWait and watches the frontend.
     *
     * @param xenstore    the backend domain's connection.
     * @param backendPath {@code /local/domain/<be>/backend/<type>/<fe>/<id>}.
     * @param driver      the device-specific part.
     * @return the backend.
     * @throws XenstoreAccessException ENOENT when the toolstack made no such device.
     */
    public static XenbusBackend start(final XenstoreAccess xenstore, final String backendPath, final Driver driver)
    {
        final XenbusBackend backend = new XenbusBackend(driver);
        backend.end = XenbusEnd.open(xenstore, XenbusEnd.Role.BACKEND, backendPath, backend);
        synchronized (backend)
        {
            backend.end.switchState(XenbusState.INIT_WAIT, driver.features(backend.end));
        }
        backend.end.start();
        return backend;
    }

    @Override
    public synchronized void otherStateChanged(final XenbusEnd end, final XenbusState old, final XenbusState now)
    {
        switch (now)
        {
            case INITIALISED, CONNECTED -> connect();
            case CLOSING -> closeDown(XenbusState.CLOSING);
            case CLOSED -> closeDown(XenbusState.CLOSED);
            case INITIALISING ->
            {
                if (end.state() == XenbusState.CLOSED)
                {
                    end.switchState(XenbusState.INIT_WAIT, driver.features(end)); // the frontend reconnects
                }
            }
            default ->
            {
                // Unknown, InitWait, Reconfiguring: nothing for the backend to do
            }
        }
    }

    @Override
    public void invalidOtherState(final XenbusEnd end, final String detail)
    {
        driver.invalidState(end, detail);
    }

    /** @return the end (state, paths, counters). */
    public XenbusEnd end()
    {
        return end;
    }

    /** @return whether the driver is connected. */
    public synchronized boolean isConnected()
    {
        return connected;
    }

    /** @return frontend details that did not map or bind, and devices that failed while connected ({@link #fail()}). */
    public long failures()
    {
        return failures.get();
    }

    /**
     * The device broke while connected (a hostile frontend, a failed image), as Linux's
     * {@code xenbus_dev_fatal}: release it and go Closing, counted in {@link #failures()}. The
     * backend keeps watching: it goes Closed when the frontend is Closed, and waits again
     * (InitWait) if the frontend starts over.
     */
    public synchronized void fail()
    {
        failures.incrementAndGet();
        release();
        if (end.state() != XenbusState.CLOSED && end.state() != XenbusState.CLOSING)
        {
            end.switchState(XenbusState.CLOSING);
        }
    }

    /**
     * The backend goes away without waiting for the frontend (the toolstack detaches it, the
     * domain dies): release the device, go Closing then Closed (unless the directory is gone),
     * stop watching.
     */
    @Override
    public synchronized void close()
    {
        release();
        try
        {
            if (end.state() != XenbusState.CLOSED)
            {
                end.switchState(XenbusState.CLOSING);
                end.switchState(XenbusState.CLOSED);
            }
        }
        catch (final XenstoreAccessException ignored)
        {
            // the connection is gone (the host stops): the device is released all the same
        }
        end.close();
    }

    private void connect()
    {
        if (end.state() != XenbusState.INIT_WAIT)
        {
            return;
        }
        if (!driver.connect(end))
        {
            failures.incrementAndGet();
            end.switchState(XenbusState.CLOSING);
            return;
        }
        connected = true;
        if (!end.switchState(XenbusState.CONNECTED))
        {
            release(); // the toolstack removed the device meanwhile
        }
    }

    private void closeDown(final XenbusState next)
    {
        release();
        if (end.state() != XenbusState.CLOSED && end.state() != next)
        {
            end.switchState(next);
        }
    }

    private void release()
    {
        if (connected)
        {
            connected = false;
            driver.disconnect(end);
        }
    }
}
