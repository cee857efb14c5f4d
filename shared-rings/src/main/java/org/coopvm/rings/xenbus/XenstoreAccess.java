package org.coopvm.rings.xenbus;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What xenbus needs from a xenstore connection, whichever side holds it: a guest's ring client
 * or dom0's in-process session. Paths are absolute, or relative to the caller's
 * {@code /local/domain/<domid>} as xenstore has them. Every call is one request (or, for
 * {@link #transaction}, one transaction) and answers when xenstored has.
 *
 * <p>Missing nodes are values, not errors: {@link #read} answers empty, {@link #directory} an
 * empty list, {@link #rm} does nothing. Every other refusal is a
 * {@link XenstoreAccessException} with xenstored's errno.
 *
 * <p>Thread safety: implementations say on which thread {@link Watcher}s run; all other
 * methods may be called from any thread.
 */
public interface XenstoreAccess
{
    /** How many times a {@link #transaction} runs when its commits keep failing with EAGAIN. */
    int TRANSACTION_ATTEMPTS = 32;

    /**
     * @param path a node.
     * @return its value as UTF-8 text, empty when there is no such node.
     */
    Optional<String> read(String path);

    /**
     * Writes a node, creating missing parents (they inherit their parent's permissions).
     *
     * @param path  the node.
     * @param value its new value.
     */
    void write(String path, String value);

    /** @param path a node to create with an empty value if missing. */
    void mkdir(String path);

    /** @param path a node to remove with its subtree (missing is fine). */
    void rm(String path);

    /**
     * @param path a node.
     * @return the names of its children, empty when there is no such node.
     */
    List<String> directory(String path);

    /**
     * Replaces a node's permissions.
     *
     * @param path        the node.
     * @param permissions Xen's entries ({@code <n|r|w|b><domid>}), the first names the owner and
     *                    what every domain not listed may do.
     */
    void setPermissions(String path, List<String> permissions);

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
     * @param body the work: it must use only the given transaction and may run more than once.
     * @param <T>  what it returns.
     * @return what the committed run returned.
     * @throws XenstoreAccessException EAGAIN when every attempt conflicted.
     */
    <T> T transaction(Function<Transaction, T> body);

    /** The operations inside one transaction: they see the transaction's snapshot and take effect at commit. */
    interface Transaction
    {
        /** @param path a node. @return its value, empty when missing. */
        Optional<String> read(String path);

        /** @param path a node. @param value its new value. */
        void write(String path, String value);

        /** @param path a node to create if missing. */
        void mkdir(String path);

        /** @param path a node to remove with its subtree (missing is fine). */
        void rm(String path);

        /** @param path a node. @return its children, empty when missing. */
        List<String> directory(String path);

        /** @param path a node. @param permissions Xen's entries, owner first. */
        void setPermissions(String path, List<String> permissions);
    }

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
