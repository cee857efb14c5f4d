package org.coopvm.guest.xenstore;

import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenbus.XenstoreNodes;

import java.util.function.Function;

/**
 * {@link XenstoreAccess} over the guest kernel's {@link XenstoreClient}: what the guest's xenbus
 * frontends use. Transactions are the client's (retried on EAGAIN, at most
 * {@link XenstoreClient#TRANSACTION_ATTEMPTS} runs); its {@link XenstoreException}s become
 * {@link XenstoreAccessException}s with the same errno.
 *
 * <p>Threading: as the client's. Watchers run where the client delivers events: vCPU 0's
 * xenstore upcall, or after any request on the thread that made it (outside the client's lock).
 * Every method may be called from any thread.
 */
public final class GuestXenstoreAccess extends ClientNodes implements XenstoreAccess
{
    private final XenstoreClient client;

    /**
     * @param client the kernel's connected client.
     */
    public GuestXenstoreAccess(final XenstoreClient client)
    {
        super(client.withoutTransaction());
        this.client = client;
    }

    @Override
    public void watch(final String path, final String token, final Watcher watcher)
    {
        translated(() -> client.watch(path, token, watcher::changed));
    }

    @Override
    public void unwatch(final String path, final String token)
    {
        translated(() -> client.unwatch(path, token));
    }

    @Override
    public <T> T transaction(final Function<XenstoreNodes, T> body)
    {
        try
        {
            return client.transaction(tx -> body.apply(new ClientNodes(tx)));
        }
        catch (final XenstoreException ex)
        {
            throw translate(ex);
        }
    }
}
