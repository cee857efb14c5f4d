package org.coopvm.guest.workload;

/**
 * The domain's console, which the host keeps in the domain's console log: lines go to the
 * console ring once dom0's console backend is connected, through {@code console_io} before.
 *
 * <p>Thread safety: any thread (from a non-vCPU thread the write is routed through vCPU 0).
 */
@FunctionalInterface
public interface Console
{
    /**
     * Write one line (a newline is appended; long lines go out in several hypercalls).
     *
     * @param line the text.
     * @return 0, or minus a Xen errno from the first failing write.
     */
    long log(String line);

    /**
     * Receive what is typed on the console ({@code coop console DOMAIN}).
     *
     * @param handler called on vCPU 0 with each batch of input bytes (replaces a previous one).
     * @return whether input can arrive: the console ring is set up.
     */
    default boolean onInput(final ConsoleInputHandler handler)
    {
        return false;
    }

    /** @return whether lines go to the console ring now (dom0's console backend is connected). */
    default boolean isRingConnected()
    {
        return false;
    }
}
