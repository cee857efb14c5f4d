package org.coopvm.guest.workload;

/**
 * Told about bytes typed on the domain's console ({@code coop console}).
 *
 * <p>Called on vCPU 0's thread, between task steps, in the order the bytes were typed: keep it
 * short (copy the bytes, wake a task). The array is reused after the call.
 */
@FunctionalInterface
public interface ConsoleInputHandler
{
    /**
     * @param bytes  holds the input.
     * @param offset where it starts.
     * @param length how many bytes.
     */
    void onInput(byte[] bytes, int offset, int length);
}
