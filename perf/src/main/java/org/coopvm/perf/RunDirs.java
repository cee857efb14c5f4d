package org.coopvm.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run directories benchmarks make for their region files, sockets and memory files: a fresh
 * {@code 0700} directory under a base (tmpfs), deleted with all it holds when the run ends.
 * Stateless; any thread.
 */
public final class RunDirs
{
    private RunDirs()
    {
    }

    /**
     * @param base   where to make it (created if missing), e.g. {@code /dev/shm}.
     * @param prefix the directory name's prefix, e.g. {@code balloonbench-}.
     * @return the new, empty directory.
     * @throws UncheckedIOException when it cannot be made.
     */
    public static Path create(final Path base, final String prefix)
    {
        try
        {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make a run directory under " + base, ex);
        }
    }

    /**
     * @param dir a directory and everything under it, to delete.
     * @throws UncheckedIOException when something cannot be deleted.
     */
    public static void deleteTree(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + dir, ex);
        }
    }
}
