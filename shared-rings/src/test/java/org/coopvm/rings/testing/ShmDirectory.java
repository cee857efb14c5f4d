package org.coopvm.rings.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory on {@code /dev/shm} (tmpfs, as the run directory is by default; falls back
 * to the temp dir where there is none) for region files, deleted with its content on close.
 *
 * <p>Thread safety: one test thread.
 */
public final class ShmDirectory implements AutoCloseable
{
    private final Path path;

    /** Create the directory. */
    public ShmDirectory()
    {
        try
        {
            final Path shm = Path.of("/dev/shm");
            path = Files.isDirectory(shm) && Files.isWritable(shm) ?
                Files.createTempDirectory(shm, "coop-test-") : Files.createTempDirectory("coop-test-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param name a file name.
     * @return that file inside the directory.
     */
    public Path resolve(final String name)
    {
        return path.resolve(name);
    }

    /** @return the directory. */
    public Path path()
    {
        return path;
    }

    /** Delete the directory and everything in it. */
    @Override
    public void close()
    {
        try (Stream<Path> files = Files.walk(path))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
