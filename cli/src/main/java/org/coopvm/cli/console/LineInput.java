package org.coopvm.cli.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Typed input cut into lines (each with its newline) for the guest; a detach byte or the end of
 * the stream ends it (a last line without newline is still sent).
 *
 * <p>Thread safety: one reader thread.
 */
final class LineInput
{
    private final InputStream in;
    private final int detach;
    private boolean ended;

    LineInput(final InputStream in, final int detach)
    {
        this.in = in;
        this.detach = detach;
    }

    /**
     * @return the next line with its newline, a last partial line, or {@code null} once detached or at the end.
     * @throws IOException when reading fails.
     */
    byte[] next() throws IOException
    {
        if (ended)
        {
            return null;
        }
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true)
        {
            final int b = in.read();
            if (b < 0 || b == detach)
            {
                ended = true;
                return line.size() > 0 ? line.toByteArray() : null;
            }
            line.write(b);
            if (b == '\n')
            {
                return line.toByteArray();
            }
        }
    }
}
