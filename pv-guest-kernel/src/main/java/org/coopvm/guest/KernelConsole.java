package org.coopvm.guest;

import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.workload.Console;
import org.coopvm.rings.hypercall.ConsoleIoOpDescriptor;

import java.nio.charset.StandardCharsets;

/**
 * {@link Console} over {@code console_io} write: one line, split into writes of at most
 * {@link ConsoleIoOpDescriptor#MAX_WRITE_BYTES} bytes.
 *
 * <p>Thread safety: any thread.
 */
final class KernelConsole implements Console
{
    private final Hypercalls hypercalls;

    KernelConsole(final Hypercalls hypercalls)
    {
        this.hypercalls = hypercalls;
    }

    @Override
    public long log(final String line)
    {
        final byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        for (int offset = 0; offset < bytes.length; offset += ConsoleIoOpDescriptor.MAX_WRITE_BYTES)
        {
            final long result = hypercalls.consoleWrite(bytes, offset, Math.min(ConsoleIoOpDescriptor.MAX_WRITE_BYTES, bytes.length - offset));
            if (result < 0)
            {
                return result;
            }
        }
        return 0;
    }
}
