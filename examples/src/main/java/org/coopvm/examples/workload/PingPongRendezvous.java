package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the ping finds the pong's event channel port and grant reference until xenstore exists:
 * the pong writes {@code "<port> <ref>\n"} to {@code <run>/rendezvous/pingpong-<pong domid>}
 * (atomically: a temporary file, then a rename; the directory is {@code 0700}); the ping reads
 * it. Guests that do not know the run directory (in-process guests whose host passed none) use
 * a map in this JVM instead. The ping may also be given {@code port=} and {@code ref=} outright.
 * A stale entry from an earlier pong is harmless: binding or mapping it fails and the ping looks
 * again.
 *
 * <p>Thread safety: any thread.
 */
final class PingPongRendezvous
{
    /** Directory under the run directory. */
    static final String DIRECTORY = "rendezvous";

    private static final Map<Integer, int[]> IN_JVM = new ConcurrentHashMap<>();

    private PingPongRendezvous()
    {
    }

    static void publish(final GuestContext ctx, final int port, final int ref) throws IOException
    {
        final Optional<Path> file = file(ctx, ctx.domid());
        if (file.isEmpty())
        {
            IN_JVM.put(ctx.domid(), new int[] {port, ref});
            return;
        }
        final Path dir = file.get().getParent();
        if (!Files.isDirectory(dir))
        {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        final Path tmp = dir.resolve(file.get().getFileName() + ".tmp");
        Files.writeString(tmp, port + " " + ref + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file.get(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return {port, ref} when the pong published them. */
    static Optional<int[]> lookup(final GuestContext ctx, final int pongDomid)
    {
        final Optional<Path> file = file(ctx, pongDomid);
        if (file.isEmpty())
        {
            return Optional.ofNullable(IN_JVM.get(pongDomid));
        }
        try
        {
            final String[] fields = Files.readString(file.get(), StandardCharsets.US_ASCII).trim().split("\\s+");
            return fields.length == 2 ? Optional.of(new int[] {Integer.parseInt(fields[0]), Integer.parseInt(fields[1])}) : Optional.empty();
        }
        catch (final NoSuchFileException ex)
        {
            return Optional.empty();
        }
        catch (final IOException | NumberFormatException ex)
        {
            return Optional.empty();
        }
    }

    static void remove(final GuestContext ctx)
    {
        final Optional<Path> file = file(ctx, ctx.domid());
        if (file.isEmpty())
        {
            IN_JVM.remove(ctx.domid());
            return;
        }
        try
        {
            Files.deleteIfExists(file.get());
        }
        catch (final IOException ignored)
        {
            // best effort: a stale file only costs the next ping a retry
        }
    }

    private static Optional<Path> file(final GuestContext ctx, final int pongDomid)
    {
        return ctx.runDir().map(run -> run.resolve(DIRECTORY).resolve("pingpong-" + pongDomid));
    }
}
