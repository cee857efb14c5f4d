package org.coopvm.guest;

import org.coopvm.guest.console.ConsoleFrontend;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.workload.Console;
import org.coopvm.guest.workload.ConsoleInputHandler;
import org.coopvm.rings.hypercall.ConsoleIoOpDescriptor;

import java.nio.charset.StandardCharsets;

/**
 * The kernel's {@link Console}: once dom0's console backend has connected to the console ring
 * ({@link ConsoleFrontend}), lines go to the ring; before that (early boot, or a host without a
 * console backend) through {@code console_io} write, split into writes of at most
 * {@link ConsoleIoOpDescriptor#MAX_WRITE_BYTES} bytes. Each {@code console_io} write is in the
 * log before it returns, so the switch keeps the order.
 *
 * <p>Thread safety: any thread.
 */
final class KernelConsole implements Console
{
    private final Hypercalls hypercalls;
    private volatile ConsoleFrontend ring;

    KernelConsole(final Hypercalls hypercalls)
    {
        this.hypercalls = hypercalls;
    }

    /** @param frontend the console ring, used as soon as dom0 connects it. */
    void useRing(final ConsoleFrontend frontend)
    {
        ring = frontend;
    }

    /** @return the console ring, {@code null} when not set up. */
    ConsoleFrontend ring()
    {
        return ring;
    }

    @Override
    public long log(final String line)
    {
        final byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        final ConsoleFrontend frontend = ring;
        if (frontend != null && frontend.isBackendConnected())
        {
            return frontend.write(bytes, 0, bytes.length);
        }
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

    @Override
    public boolean isRingConnected()
    {
        final ConsoleFrontend frontend = ring;
        return frontend != null && frontend.isBackendConnected();
    }

    @Override
    public boolean onInput(final ConsoleInputHandler handler)
    {
        final ConsoleFrontend frontend = ring;
        if (frontend == null)
        {
            return false;
        }
        frontend.onInput(handler);
        return true;
    }
}
