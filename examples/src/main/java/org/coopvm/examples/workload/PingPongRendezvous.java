package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the two sides of a pingpong channel find each other until xenstore exists. Each side
 * publishes a line of integers under the channel's name: the ping {@code "<ping domid>"} as
 * {@code <run>/rendezvous/pingpong-<channel>.ping}, the pong {@code "<pong domid> <port> <ref>"}
 * as {@code ...pong}. Files are written atomically (a temporary file, then a rename) in a
 * {@code 0700} directory. Guests that do not know the run directory (in-process guests whose host
 * passed none) use a map in this JVM instead. A stale entry from an earlier run is harmless:
 * binding or mapping fails and the reader looks again; each side removes what it published.
 *
 * <p>Thread safety: any thread.
 */
final class PingPongRendezvous
{
    /** Directory under the run directory. */
    static final String DIRECTORY = "rendezvous";
    /** The ping's entry. */
    static final String PING = "ping";
    /** The pong's entry. */
    static final String PONG = "pong";

    private static final Map<String, int[]> IN_JVM = new ConcurrentHashMap<>();

    private PingPongRendezvous()
    {
    }

    static void publish(final GuestContext ctx, final String channel, final String side, final int... values)
    {
        final Optional<Path> file = file(ctx, channel, side);
        if (file.isEmpty())
        {
            IN_JVM.put(channel + "." + side, values.clone());
            return;
        }
        try
        {
            final Path dir = file.get().getParent();
            if (!Files.isDirectory(dir))
            {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            final Path tmp = dir.resolve(file.get().getFileName() + "." + ctx.domid() + ".tmp");
            final StringBuilder line = new StringBuilder();
            Arrays.stream(values).forEach(v -> line.append(line.isEmpty() ? "" : " ").append(v));
            Files.writeString(tmp, line.append('\n'), StandardCharsets.US_ASCII);
            Files.move(tmp, file.get(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("pingpong: cannot publish " + file.get() + ": " + ex, ex);
        }
    }

    /** @return the values the other side published, when they are there and well formed. */
    static Optional<int[]> lookup(final GuestContext ctx, final String channel, final String side, final int count)
    {
        final Optional<Path> file = file(ctx, channel, side);
        if (file.isEmpty())
        {
            return Optional.ofNullable(IN_JVM.get(channel + "." + side)).filter(v -> v.length == count);
        }
        try
        {
            final int[] values = Arrays.stream(Files.readString(file.get(), StandardCharsets.US_ASCII).trim().split("\\s+"))
                .mapToInt(Integer::parseInt).toArray();
            return values.length == count ? Optional.of(values) : Optional.empty();
        }
        catch (final IOException | NumberFormatException ex)
        {
            return Optional.empty();
        }
    }

    static void remove(final GuestContext ctx, final String channel, final String side)
    {
        final Optional<Path> file = file(ctx, channel, side);
        if (file.isEmpty())
        {
            IN_JVM.remove(channel + "." + side);
            return;
        }
        try
        {
            Files.deleteIfExists(file.get());
        }
        catch (final IOException ignored)
        {
            // best effort: a stale entry only costs the next reader a retry
        }
    }

    private static Optional<Path> file(final GuestContext ctx, final String channel, final String side)
    {
        return ctx.runDir().map(run -> run.resolve(DIRECTORY).resolve("pingpong-" + channel + "." + side));
    }
}
