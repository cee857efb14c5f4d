package org.coopvm.rings.xenbus;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Xen's frontend rules on a {@link XenbusEnd} (what Linux's blkfront and netfront do): the
 * frontend stays {@link XenbusState#INITIALISING} until the backend is in
 * {@link XenbusState#INIT_WAIT}, then publishes its details (ring refs, ports) together with
 * {@link XenbusState#INITIALISED} in one transaction; when the backend is
 * {@link XenbusState#CONNECTED} it starts using the device and goes Connected; when the backend
 * is Closing, Closed or gone it stops using the device and goes {@link XenbusState#CLOSED}. A
 * closed frontend publishes again if the backend comes back to InitWait. A driver that cannot
 * initialise makes the frontend go {@link XenbusState#CLOSING} (Linux's {@code xenbus_dev_fatal}).
 *
 * <p>Threading: the {@link Driver} runs on the threads {@link XenbusEnd} describes, one call at a
 * time (this object's monitor, also taken by {@link #requestClose}).
 */
public final class XenbusFrontend implements XenbusEnd.Handler, AutoCloseable
{
    /** The device-specific part of a frontend. */
    public interface Driver
    {
        /**
         * The backend waits for the frontend's details.
         *
         * @param end the frontend's end.
         * @return the keys to write in the frontend's directory with Initialised.
         * @throws RuntimeException when the device cannot be set up (the frontend goes Closing).
         */
        Map<String, String> initialise(XenbusEnd end);

        /**
         * The backend is connected: start using the device (the frontend then goes Connected).
         *
         * @param end the frontend's end.
         */
        void connected(XenbusEnd end);

        /**
         * The backend is closing, closed or gone: stop using the device (the frontend then goes
         * Closed). Called only after {@link #initialise}.
         *
         * @param end the frontend's end.
         */
        void disconnected(XenbusEnd end);
    }

    private final Driver driver;
    private final AtomicLong failures = new AtomicLong();
    private XenbusEnd end;
    private boolean initialised;

    private XenbusFrontend(final Driver driver)
    {
        this.driver = driver;
    }

    /**
     * Opens the frontend's directory and watches the backend.
     *
     * @param xenstore     the guest's connection.
     * @param frontendPath {@code /local/domain/<fe>/device/<type>/<id>}.
     * @param driver       the device-specific part.
     * @return the frontend.
     * @throws XenstoreAccessException ENOENT when the toolstack made no such device.
     */
    public static XenbusFrontend start(final XenstoreAccess xenstore, final String frontendPath, final Driver driver)
    {
        final XenbusFrontend frontend = new XenbusFrontend(driver);
        frontend.end = XenbusEnd.open(xenstore, XenbusEnd.Role.FRONTEND, frontendPath, frontend);
        frontend.end.start();
        return frontend;
    }

    @Override
    public synchronized void otherStateChanged(final XenbusEnd end, final XenbusState old, final XenbusState now)
    {
        switch (now)
        {
            case INIT_WAIT -> publish();
            case CONNECTED -> connect();
            case CLOSING, CLOSED -> closeDown();
            default ->
            {
                // Initialising, Initialised, Reconfiguring: nothing for the frontend to do
            }
        }
    }

    /** The frontend wants to stop: it goes Closing; when the backend follows, it goes Closed. */
    public synchronized void requestClose()
    {
        if (end.state() != XenbusState.CLOSING && end.state() != XenbusState.CLOSED)
        {
            end.switchState(XenbusState.CLOSING);
        }
    }

    /** @return the end (state, paths, counters). */
    public XenbusEnd end()
    {
        return end;
    }

    /** @return times the driver could not initialise. */
    public long failures()
    {
        return failures.get();
    }

    /** Stops watching the backend; the state stays as it is. */
    @Override
    public void close()
    {
        end.close();
    }

    private void publish()
    {
        final XenbusState own = end.state();
        if (own != XenbusState.INITIALISING && own != XenbusState.CLOSED && own != XenbusState.UNKNOWN)
        {
            return;
        }
        final Map<String, String> keys;
        try
        {
            keys = driver.initialise(end);
        }
        catch (final RuntimeException ex)
        {
            failures.incrementAndGet();
            end.switchState(XenbusState.CLOSING);
            return;
        }
        initialised = true;
        end.switchState(XenbusState.INITIALISED, keys);
    }

    private void connect()
    {
        if (end.state() == XenbusState.INITIALISED)
        {
            driver.connected(end);
            end.switchState(XenbusState.CONNECTED);
        }
    }

    private void closeDown()
    {
        if (end.state() == XenbusState.CLOSED)
        {
            return;
        }
        if (initialised)
        {
            initialised = false;
            driver.disconnected(end);
        }
        end.switchState(XenbusState.CLOSED);
    }
}
