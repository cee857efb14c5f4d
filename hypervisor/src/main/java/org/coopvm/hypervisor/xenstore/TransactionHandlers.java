package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsMessageType;

/**
 * Handlers of TRANSACTION_START and TRANSACTION_END.
 *
 * <p>Thread safety: called under {@link Xenstored}'s lock.
 */
final class TransactionHandlers
{
    private final Store store;
    private final XenstoreConfig config;

    TransactionHandlers(final Store store, final XenstoreConfig config)
    {
        this.store = store;
        this.config = config;
    }

    void registerIn(final RequestTable table)
    {
        table.register(XsMessageType.TRANSACTION_START, this::start);
        table.register(XsMessageType.TRANSACTION_END, this::end);
    }

    private byte[] start(final Request request)
    {
        if (request.message().txId() != 0)
        {
            throw new XsException(XsErrno.EBUSY);
        }
        final XenstoreSession session = request.session();
        if (session.domid() != 0 && session.transactions().size() >= config.maxTransactionsPerDomain())
        {
            throw new XsException(XsErrno.ENOSPC);
        }
        int id = session.nextTransactionId();
        while (session.transactions().containsKey(id))
        {
            id = session.nextTransactionId();
        }
        session.transactions().put(id, new Transaction(id, store));
        return Replies.string(Integer.toString(id));
    }

    private byte[] end(final Request request)
    {
        final String verdict = request.arg();
        if (!"T".equals(verdict) && !"F".equals(verdict))
        {
            throw new XsException(XsErrno.EINVAL);
        }
        final Transaction transaction = request.session().transactions().remove(request.message().txId());
        if (transaction == null)
        {
            throw new XsException(XsErrno.ENOENT);
        }
        if ("T".equals(verdict))
        {
            request.events().addAll(transaction.commit());
        }
        return Replies.OK;
    }
}
