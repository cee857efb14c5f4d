package org.coopvm.guest.xenstore;

/**
 * Receives watch events.
 *
 * <p>Thread safety: called on the thread that made the request or poll that read the event,
 * outside the client's lock (it may call the client).
 */
@FunctionalInterface
public interface WatchCallback
{
    /**
     * @param path  the changed path (relative if the watch was relative).
     * @param token the watch's token.
     */
    void changed(String path, String token);
}
