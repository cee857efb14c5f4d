package org.coopvm.perf.latency;

import java.nio.file.Path;

/**
 * Layout of the handshake region of a two-process round-trip measurement (benchmark-only,
 * not part of the ABI): a page whose first word the responder JVM sets once its endpoint exists.
 *
 * <pre>
 *   0                   4                                              4096
 *   +-------------------+-----------------------------------------------+
 *   | ready (u32)       | unused                                        |
 *   +-------------------+-----------------------------------------------+
 * </pre>
 *
 * Stateless; any thread.
 */
public final class HandshakeDescriptor
{
    /** u32 the responder stores {@link #READY} into (release) once attached. */
    public static final int READY_OFFSET = 0;
    /** Payload bytes of the handshake region. */
    public static final int HANDSHAKE_LENGTH = 4096;
    /** Value of {@code ready} once the responder is attached. */
    public static final int READY = 1;
    /** Suffix of the handshake file after the run's file prefix. */
    public static final String FILE_SUFFIX = ".ready";

    private HandshakeDescriptor()
    {
    }

    /**
     * @param prefix the measurement's file prefix.
     * @return the handshake file next to the transport's files.
     */
    static Path file(final Path prefix)
    {
        return prefix.resolveSibling(prefix.getFileName() + FILE_SUFFIX);
    }
}
