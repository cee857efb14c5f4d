package org.coopvm.rings.xenbus;

import java.util.function.Function;

/**
 * What xenbus needs from a xenstore connection, whichever side holds it: a guest's ring client
 * or dom0's in-process session. The {@link XenstoreNodes} operations, watches, and transactions
 * retried on EAGAIN. Every call is one request (or, for {@link #transaction}, one transaction)
 * and answers when xenstored has.
 *
 * <p>Thread safety: implementations say on which thread {@link Watcher}s run; all other
 * methods may be called from any thread.
 */
public interface XenstoreAccess extends XenstoreNodes
{
    /** How many times a {@link #transaction} runs when its commits keep failing with EAGAIN. */
    int TRANSACTION_ATTEMPTS = 32;

    /**
     * Sets a watch: the watcher is told once soon after (Xen's rule), then on every change at or
     * below the path.
     *
     * @param path    the watched node.
     * @param token   names the watch (unique per connection).
     * @param watcher what to tell.
     */
    void watch(String path, String token, Watcher watcher);

    /**
     * Removes a watch.
     *
     * @param path  the watched node.
     * @param token the watch's token.
     */
    void unwatch(String path, String token);

    /**
     * Runs the body in a transaction and commits it; when the commit fails with EAGAIN (a node
     * the body read changed meanwhile) the body runs again in a new transaction, at most
     * {@link #TRANSACTION_ATTEMPTS} times in all. A body that throws aborts its transaction.
     *
     * @param body the work: it must use only the nodes given and may run more than once.
     * @param <T>  what it returns.
     * @return what the committed run returned.
     * @throws XenstoreAccessException EAGAIN when every attempt conflicted.
     */
    <T> T transaction(Function<XenstoreNodes, T> body);

    /** Told when a watched node (or one below it) changed. */
    @FunctionalInterface
    interface Watcher
    {
        /**
         * @param path  the node that changed (relative when the watch was set relative).
         * @param token the watch's token.
         */
        void changed(String path, String token);
    }
}
