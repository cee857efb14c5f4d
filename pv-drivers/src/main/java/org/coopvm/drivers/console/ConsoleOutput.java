package org.coopvm.drivers.console;

/**
 * Where the console backend puts what a guest wrote: the toolstack appends it to
 * {@code <run>/console/dom<N>.log}, the same file {@code console_io} writes go to.
 *
 * <p>Called on the backend's agent thread: copy the bytes (the array is reused) and return.
 */
@FunctionalInterface
public interface ConsoleOutput
{
    /**
     * @param domid  the guest.
     * @param bytes  holds its output.
     * @param offset where it starts.
     * @param length how many bytes.
     */
    void write(int domid, byte[] bytes, int offset, int length);
}
