package org.coopvm.cli.toolstack;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * A running guest as the toolstack sees it: a child JVM ({@link ProcessGuest}) or a guest
 * kernel inside the host JVM ({@link InProcessGuest}).
 *
 * <p>Thread safety: every method may be called from any thread.
 */
sealed interface Guest permits ProcessGuest, InProcessGuest
{
    /** @return the guest's process id, or -1 for an in-process guest. */
    long pid();

    /** @return CPU time the guest process used, in ns, or -1 when it cannot be measured. */
    long cpuTimeNs();

    /** @return whether the guest still runs. */
    boolean isAlive();

    /** Stop the guest from running (a process is sent {@code SIGSTOP}). */
    void pause();

    /** Let a paused guest run again. */
    void unpause();

    /**
     * Wait for the guest to end by itself.
     *
     * @param timeout how long to wait.
     * @return whether it ended.
     */
    boolean awaitExit(Duration timeout);

    /** End the guest now and wait until it is gone (its memory is no longer touched). */
    void kill();

    /**
     * @param action called once, on some thread, with the exit code when the guest ends.
     */
    void onExit(IntConsumer action);
}
