package org.coopvm.hypervisor.hypercall;

import org.agrona.DirectBuffer;
import org.coopvm.hypervisor.domain.Domain;

/**
 * Where CONSOLEIO_write bytes go; the lead wires it to the console backend / host log.
 *
 * <p>Thread safety: called on the dispatcher thread under the hypervisor lock: copy the bytes
 * (the buffer is reused) and return quickly.
 */
@FunctionalInterface
public interface ConsoleSink
{
    /** A sink that drops everything. */
    ConsoleSink NONE = (domain, bytes, offset, length) -> { };

    /**
     * @param domain the writing domain.
     * @param bytes  holds the bytes (a private copy of the request, reused after the call).
     * @param offset where they start.
     * @param length how many (at most 2048).
     */
    void write(Domain domain, DirectBuffer bytes, int offset, int length);
}
