package org.coopvm.guest.console;

/**
 * Where the console frontend tells dom0 its ring and port, and learns that dom0 connected: the
 * start info today ({@code StartInfo.publishConsole} / {@code isConsoleConnected}), xenstore's
 * {@code console/ring-ref} and {@code console/port} later.
 *
 * <p>Thread safety: any thread.
 */
public interface ConsolePublisher
{
    /**
     * @param ringRef the grant reference of the ring page.
     * @param port    the guest's event channel port, unbound for dom0.
     */
    void publish(int ringRef, int port);

    /** @return whether dom0's backend has mapped the ring and bound the port. */
    boolean isBackendConnected();
}
