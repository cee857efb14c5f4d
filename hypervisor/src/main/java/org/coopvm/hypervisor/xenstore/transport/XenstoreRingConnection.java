package org.coopvm.hypervisor.xenstore.transport;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.hypervisor.xenstore.XenstoreSession;
import org.coopvm.rings.xenstore.XenstoreByteRing;
import org.coopvm.rings.xenstore.XenstoreInterfaceDescriptor;
import org.coopvm.rings.xenstore.XsMessageAssembler;

/**
 * xenstored's end of one guest's ring page ({@code xenstore_domain_interface}). When kicked,
 * {@link #service} copies the guest's request bytes into private memory, serves complete
 * messages, and copies queued replies and watch events into the response ring, then notifies
 * the guest. Requests are only taken while the guest's unread output stays under the bound, so
 * a guest that floods without reading stalls only itself. A ring index out of range or an
 * oversized header sets the page's {@code error} field and the connection stops serving, as
 * Xen does.
 *
 * <p>Thread safety: {@link #service} from one serving thread; the session's sink (replies,
 * events) may run on any thread and calls the {@code wakeServer} hook so the server services
 * this connection again.
 */
public final class XenstoreRingConnection
{
    private final Xenstored xenstored;
    private final AtomicBuffer page;
    private final XenstoreByteRing requests;
    private final XenstoreByteRing responses;
    private final Runnable notifyGuest;
    private final OutputQueue output;
    private final XenstoreSession session;
    private final XsMessageAssembler assembler = new XsMessageAssembler();
    private final byte[] scratch = new byte[XenstoreInterfaceDescriptor.RING_SIZE];
    private boolean broken;

    /**
     * @param xenstored   the daemon.
     * @param domid       the guest.
     * @param page        the mapped interface page (payload of the XENSTORE region).
     * @param notifyGuest signals the guest's event channel (after responses or consumed requests).
     * @param wakeServer  asks the serving thread to call {@link #service} soon (may be called
     *                    under xenstored's lock: must not block).
     */
    public XenstoreRingConnection(final Xenstored xenstored, final int domid, final AtomicBuffer page,
                                  final Runnable notifyGuest, final Runnable wakeServer)
    {
        this.xenstored = xenstored;
        this.page = page;
        this.requests = XenstoreByteRing.requests(page);
        this.responses = XenstoreByteRing.responses(page);
        this.notifyGuest = notifyGuest;
        this.output = new OutputQueue(xenstored.config().maxOutputBytes());
        page.putInt(XenstoreInterfaceDescriptor.SERVER_FEATURES_OFFSET, XenstoreInterfaceDescriptor.FEATURE_ERROR);
        this.session = xenstored.connect(domid, message ->
        {
            output.offer(message);
            wakeServer.run();
        });
    }

    /**
     * Serves what the guest sent and sends what is queued.
     *
     * @return bytes moved (0 when there was nothing to do).
     */
    public int service()
    {
        if (broken)
        {
            return 0;
        }
        final int sent = flush();
        final int taken = output.queuedBytes() < xenstored.config().maxOutputBytes() / 2 ? take() : 0;
        final int sentAfter = broken ? 0 : flush();
        if (sent + taken + sentAfter > 0)
        {
            notifyGuest.run();
        }
        return sent + taken + sentAfter;
    }

    /** @return true once the guest broke the protocol; the page's error field says how. */
    public boolean broken()
    {
        return broken;
    }

    /** Stops serving and drops the session's watches and transactions. */
    public void close()
    {
        broken = true;
        xenstored.disconnect(session);
    }

    private int take()
    {
        int total = 0;
        while (!broken)
        {
            final int count = requests.read(scratch, 0, scratch.length);
            if (count == XenstoreByteRing.BAD_INDEX)
            {
                fail(XenstoreInterfaceDescriptor.ERROR_RINGIDX);
            }
            else if (count == 0)
            {
                return total;
            }
            else
            {
                total += count;
                if (!assembler.feed(scratch, 0, count, message -> xenstored.handle(session, message)))
                {
                    fail(XenstoreInterfaceDescriptor.ERROR_PROTO);
                }
                if (output.queuedBytes() >= xenstored.config().maxOutputBytes() / 2)
                {
                    return total;
                }
            }
        }
        return total;
    }

    private int flush()
    {
        try
        {
            final int written = output.drainTo(this::writeResponse);
            if (written < 0 || broken)
            {
                return 0;
            }
            return written;
        }
        catch (final java.io.IOException e)
        {
            fail(XenstoreInterfaceDescriptor.ERROR_RINGIDX);
            return 0;
        }
    }

    private int writeResponse(final byte[] bytes, final int offset, final int length) throws java.io.IOException
    {
        final int written = responses.write(bytes, offset, length);
        if (written == XenstoreByteRing.BAD_INDEX)
        {
            throw new java.io.IOException("response ring index out of range");
        }
        return written;
    }

    private void fail(final int error)
    {
        page.putIntRelease(XenstoreInterfaceDescriptor.ERROR_OFFSET, error);
        close();
    }
}
