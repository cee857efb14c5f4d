package org.coopvm.rings.testing;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.coopvm.rings.region.RegionException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Corrupting region files the way a foreign or broken peer would (through the file, not the
 * mapping), and asserting how attaching fails.
 *
 * <p>Stateless; any thread.
 */
public final class RegionFiles
{
    private RegionFiles()
    {
    }

    /**
     * Write a little-endian u32 into a file.
     *
     * @param file     the file.
     * @param position byte offset in the file.
     * @param value    the value.
     */
    public static void putInt(final Path file, final long position, final int value)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), position);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Cut a file short.
     *
     * @param file   the file.
     * @param length its new length.
     */
    public static void truncate(final Path file, final long length)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Assert that {@code attach} throws a {@link RegionException} with {@code reason} whose
     * message names {@code file}.
     *
     * @param attach the attaching call.
     * @param file   the file it attaches.
     * @param reason the reason expected.
     */
    public static void assertAttachFails(final ThrowingCallable attach, final Path file, final RegionException.Reason reason)
    {
        assertThatThrownBy(attach)
            .isInstanceOf(RegionException.class)
            .hasMessageContaining(file.toString())
            .extracting(ex -> ((RegionException)ex).reason()).isEqualTo(reason);
    }
}
