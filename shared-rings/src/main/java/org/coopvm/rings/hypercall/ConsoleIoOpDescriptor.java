package org.coopvm.rings.hypercall;

/**
 * {@code console_io} (op 18): commands and argument offsets (relative to
 * {@link HypercallDescriptor#ARGS_OFFSET}).
 *
 * <pre>
 *  CONSOLEIO_write     +0 u32 length, +4 bytes (<= 2048)     result 0
 *  CONSOLEIO_read      -EPERM for guests
 * </pre>
 */
public final class ConsoleIoOpDescriptor
{
    /** Command: write bytes to the host console. */
    public static final int CONSOLEIO_WRITE = 0;
    /** Command: read from the console (dom0 only: -EPERM for guests). */
    public static final int CONSOLEIO_READ = 1;
    /** Argument of write: byte count (u32). */
    public static final int WRITE_LENGTH_OFFSET = 0;
    /** Argument of write: the bytes. */
    public static final int WRITE_BYTES_OFFSET = 4;
    /** Most bytes one write carries. */
    public static final int MAX_WRITE_BYTES = 2048;

    private ConsoleIoOpDescriptor()
    {
    }
}
