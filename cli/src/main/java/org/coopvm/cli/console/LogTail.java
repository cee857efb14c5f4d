package org.coopvm.cli.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Prints a growing console log as UTF-8 text, like {@code tail -f}: from its start or from its
 * current end, checking for new bytes every {@link #POLL_MS} ms (the log may not exist yet), and
 * once a second whether the domain still exists; when it is gone the rest is printed and the tail
 * ends.
 *
 * <p>Thread safety: {@link #run} on one thread; {@link #stop} from any.
 */
final class LogTail implements Runnable
{
    static final long POLL_MS = 50;
    static final long STOP_WAIT_MS = 2_000;
    private static final long LIVENESS_EVERY_MS = 1_000;

    private final Path log;
    private final boolean onlyNew;
    private final PrintWriter out;
    private final BooleanSupplier domainExists;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    private final CharBuffer chars = CharBuffer.allocate(64 * 1024);
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);

    LogTail(final Path log, final boolean onlyNew, final PrintWriter out, final BooleanSupplier domainExists)
    {
        this.log = log;
        this.onlyNew = onlyNew;
        this.out = out;
        this.domainExists = domainExists;
    }

    void stop()
    {
        stop.countDown();
    }

    @Override
    public void run()
    {
        try
        {
            long position = onlyNew && Files.exists(log) ? Files.size(log) : 0;
            long nextLivenessMs = System.currentTimeMillis() + LIVENESS_EVERY_MS;
            while (true)
            {
                position = printFrom(position);
                if (System.currentTimeMillis() >= nextLivenessMs)
                {
                    nextLivenessMs = System.currentTimeMillis() + LIVENESS_EVERY_MS;
                    if (!domainExists.getAsBoolean())
                    {
                        printFrom(position);
                        return;
                    }
                }
                if (stop.await(POLL_MS, TimeUnit.MILLISECONDS))
                {
                    printFrom(position);
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            out.println("coop console: cannot read " + log + ": " + ex.getMessage());
            out.flush();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private long printFrom(final long start) throws IOException
    {
        long position = start;
        try (FileChannel file = FileChannel.open(log, StandardOpenOption.READ))
        {
            int read;
            while ((read = file.read(bytes, position)) > 0)
            {
                position += read;
                bytes.flip();
                decoder.decode(bytes, chars, false);
                bytes.compact();
                chars.flip();
                out.append(chars);
                chars.clear();
            }
        }
        catch (final NoSuchFileException ex)
        {
            return position; // the guest has written nothing yet
        }
        out.flush();
        return position;
    }
}
