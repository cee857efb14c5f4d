package org.coopvm.drivers.console;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.grant.GrantMapping;
import org.coopvm.rings.console.ConsoleRingHalf;
import org.coopvm.rings.console.ConsoleRingReader;
import org.coopvm.rings.console.ConsoleRingWriter;
import org.coopvm.rings.domain.SharedInfoDescriptor;
import org.coopvm.rings.xenbus.XenbusBackend;
import org.coopvm.rings.xenbus.XenstoreNumbers;

import java.util.Optional;

/**
 * One guest's console as dom0's backend holds it: its xenbus backend, and once connected the
 * mapped ring page, dom0's bound port, and input not yet in the ring.
 *
 * <p>Thread safety: guarded by the {@link ConsoleBackend}'s monitor.
 */
final class ConsoleConnection
{
    /** Highest event channel port a guest may name. */
    static final int MAX_PORT = SharedInfoDescriptor.NR_EVENT_CHANNELS - 1;

    final int domid;
    final Domain domain;
    final ConsoleRingReader out = new ConsoleRingReader();
    final ConsoleRingWriter in = new ConsoleRingWriter();
    XenbusBackend xenbus;
    GrantMapping mapping;
    int port;
    byte[] input = new byte[0];
    int inputLength;

    ConsoleConnection(final int domid, final Domain domain)
    {
        this.domid = domid;
        this.domain = domain;
    }

    /**
     * @param text a key the guest wrote (untrusted), if present.
     * @param max  the largest value allowed.
     * @return the decimal value, or -1 when missing, not digits only, or above {@code max}.
     */
    static int parseKey(final Optional<String> text, final int max)
    {
        return (int)XenstoreNumbers.decimal(text, max);
    }

    boolean isConnected()
    {
        return mapping != null;
    }

    void connected(final GrantMapping mapping, final int port)
    {
        this.mapping = mapping;
        this.port = port;
        out.wrap(mapping.page(), ConsoleRingHalf.OUT);
        in.wrap(mapping.page(), ConsoleRingHalf.IN);
    }

    boolean queueInput(final byte[] bytes, final int limit)
    {
        if (inputLength + bytes.length > limit)
        {
            return false;
        }
        if (inputLength + bytes.length > input.length)
        {
            final byte[] grown = new byte[Math.max(inputLength + bytes.length, 2 * input.length)];
            System.arraycopy(input, 0, grown, 0, inputLength);
            input = grown;
        }
        System.arraycopy(bytes, 0, input, inputLength, bytes.length);
        inputLength += bytes.length;
        return true;
    }

    /** @return bytes of queued input moved into the ring, or {@link ConsoleRingWriter#CORRUPT}. */
    int pushInput()
    {
        if (inputLength == 0)
        {
            return 0;
        }
        final int written = in.write(input, 0, inputLength);
        if (written > 0)
        {
            System.arraycopy(input, written, input, 0, inputLength - written);
            inputLength -= written;
        }
        return written;
    }
}
