package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsMessage;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One client connection as xenstored sees it: its domain, where its replies and watch events
 * go, and its open transactions. Created by {@link Xenstored#connect}.
 *
 * <p>Thread safety: used under {@link Xenstored}'s lock; the sink must not block.
 */
public final class XenstoreSession
{
    private final int domid;
    private final Consumer<XsMessage> sink;
    private final Map<Integer, Transaction> transactions = new HashMap<>();
    private int nextTransactionId = 1;
    private boolean open = true;

    XenstoreSession(final int domid, final Consumer<XsMessage> sink)
    {
        this.domid = domid;
        this.sink = sink;
    }

    /** @return the client's domain (0 for dom0 tools on the socket). */
    public int domid()
    {
        return domid;
    }

    /** @return false once disconnected. */
    public boolean open()
    {
        return open;
    }

    void send(final XsMessage message)
    {
        if (open)
        {
            sink.accept(message);
        }
    }

    void close()
    {
        open = false;
        transactions.clear();
    }

    Map<Integer, Transaction> transactions()
    {
        return transactions;
    }

    int nextTransactionId()
    {
        final int id = nextTransactionId;
        nextTransactionId = nextTransactionId == Integer.MAX_VALUE ? 1 : nextTransactionId + 1;
        return id;
    }
}
