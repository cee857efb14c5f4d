package org.coopvm.hypervisor.xenstore;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reply payloads as Xen writes them.
 *
 * <p>Thread safety: stateless.
 */
final class Replies
{
    /** "OK" and a NUL. */
    static final byte[] OK = nulTerminated(List.of("OK"));

    private Replies()
    {
    }

    static byte[] nulTerminated(final List<String> strings)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final String string : strings)
        {
            out.writeBytes(string.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    static byte[] string(final String text)
    {
        return nulTerminated(List.of(text));
    }
}
