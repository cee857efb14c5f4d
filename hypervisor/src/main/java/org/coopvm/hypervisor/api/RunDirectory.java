package org.coopvm.hypervisor.api;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host's run directory ({@code 0700}) and the files in it that the management API owns:
 * {@code host.json} (where the API is, written once it is up), {@code api.token} (the bearer
 * token, {@code 0600}), {@code host.log} (a background host's output). Other entries the host
 * makes ({@code trace/}, {@code dom<N>/}, {@code host-doorbell}, {@code usage}) are known by name so that {@link #remove()} deletes
 * exactly what CoopVM made and nothing else.
 *
 * <p>Thread safety: the methods may be called from any thread; the host calls the writing ones
 * from its main thread only.
 */
public final class RunDirectory
{
    /** File holding the {@link HostEndpoint} as JSON. */
    public static final String HOST_JSON = "host.json";
    /** File holding the API token. */
    public static final String API_TOKEN = "api.token";
    /** A background host's stdout and stderr. */
    public static final String HOST_LOG = "host.log";
    /** Locked by the host for its whole life, so two hosts never share a run directory. */
    public static final String HOST_LOCK = "host.lock";
    /** The trace queue's directory. */
    public static final String TRACE = "trace";

    private static final Pattern KNOWN_ENTRY =
        Pattern.compile("host\\.json|api\\.token|host\\.log|host\\.lock|host-doorbell|usage|xenstored\\.sock|trace|logs|console|rendezvous|dom[0-9]+|.*\\.tmp");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOKEN_BYTES = 32;

    private final Path root;
    private FileLock lock;

    /**
     * @param root the directory (need not exist yet).
     */
    public RunDirectory(final Path root)
    {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * @return the directory, absolute.
     */
    public Path root()
    {
        return root;
    }

    /**
     * @return {@code <run>/host.json}.
     */
    public Path hostJson()
    {
        return root.resolve(HOST_JSON);
    }

    /**
     * @return {@code <run>/api.token}.
     */
    public Path tokenFile()
    {
        return root.resolve(API_TOKEN);
    }

    /**
     * @return {@code <run>/host.log}.
     */
    public Path hostLog()
    {
        return root.resolve(HOST_LOG);
    }

    /**
     * Make the directory ({@code 0700}) if it is missing, or check that an existing one holds
     * only what CoopVM makes, tightening it to {@code 0700}.
     *
     * @throws HostControlException {@code EINVAL} if it is not a directory or holds other files.
     */
    public void create()
    {
        try
        {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS))
            {
                Files.createDirectories(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            }
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS))
            {
                throw new HostControlException(Errno.EINVAL, "run dir " + root + " exists and is not a directory");
            }
            Files.setPosixFilePermissions(root, OWNER_ONLY_DIR);
            checkOnlyKnownEntries();
        }
        catch (final IOException ex)
        {
            throw new HostControlException(Errno.EIO, "cannot create run dir " + root + ": " + ex, ex);
        }
    }

    /**
     * Make the directory ready for this process's host: {@link #create()}, take the lock on
     * {@code host.lock} (held until {@link #remove()} or the process exits), and delete a dead
     * host's {@code host.json} and {@code api.token}. Calling it again on the same object is a no-op.
     *
     * @throws HostControlException {@code EBUSY} naming the running host, or as {@link #create()}.
     */
    public synchronized void claim()
    {
        if (lock != null)
        {
            return;
        }
        create();
        lock = tryLock().orElseThrow(() -> busy());
        removeEndpointFiles();
    }

    /**
     * For a launcher, before it starts a host process: {@link #create()}, and refuse if a host
     * holds the directory. Takes no lock (the host it starts will).
     *
     * @throws HostControlException {@code EBUSY} naming the running host, or as {@link #create()}.
     */
    public void checkFree()
    {
        create();
        if (isClaimed())
        {
            throw busy();
        }
    }

    /**
     * @return whether a host (in any process, this one included) holds {@code host.lock} now.
     */
    public boolean isClaimed()
    {
        synchronized (this)
        {
            if (lock != null)
            {
                return true;
            }
        }
        if (!Files.exists(root.resolve(HOST_LOCK)))
        {
            return false;
        }
        final Optional<FileLock> probe = tryLock();
        probe.ifPresent(RunDirectory::release);
        return probe.isEmpty();
    }

    private Optional<FileLock> tryLock()
    {
        try
        {
            final FileChannel channel = FileChannel.open(root.resolve(HOST_LOCK),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            final FileLock taken = lockOrNull(channel);
            if (taken == null)
            {
                channel.close();
            }
            return Optional.ofNullable(taken);
        }
        catch (final NoSuchFileException ex)
        {
            return Optional.empty();
        }
        catch (final IOException ex)
        {
            throw new HostControlException(Errno.EIO, "cannot lock " + root.resolve(HOST_LOCK) + ": " + ex, ex);
        }
    }

    private static FileLock lockOrNull(final FileChannel channel) throws IOException
    {
        try
        {
            return channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            return null;
        }
    }

    private HostControlException busy()
    {
        final String who = liveHost().map(h -> " (pid " + h.pid() + ", port " + h.port() + ")").orElse(" (starting)");
        return new HostControlException(Errno.EBUSY, "a CoopVM host is already running at " + root + who +
            ": stop it with ./coop host stop");
    }

    private static void release(final FileLock lock)
    {
        try
        {
            lock.channel().close();
        }
        catch (final IOException ignored)
        {
            // the lock goes with the channel, and with the process at the latest
        }
    }

    /**
     * Create a new random token (32 bytes from {@link SecureRandom}, hex) in {@code api.token},
     * made {@code 0600} before any byte is written. A previous token file is replaced.
     *
     * @return the token.
     */
    public String writeNewToken()
    {
        final byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        final String token = HexFormat.of().formatHex(bytes);
        try
        {
            Files.deleteIfExists(tokenFile());
            writeOwnerOnly(tokenFile(), token);
            return token;
        }
        catch (final IOException ex)
        {
            throw new HostControlException(Errno.EIO, "cannot write API token " + tokenFile() + ": " + ex, ex);
        }
    }

    /**
     * @return the token a running host wrote.
     * @throws UncheckedIOException if it cannot be read.
     */
    public String readToken()
    {
        try
        {
            return Files.readString(tokenFile(), StandardCharsets.US_ASCII).strip();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read API token " + tokenFile() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Write {@code host.json} ({@code 0600}) atomically: readers see all of it or none.
     *
     * @param endpoint where the API is.
     */
    public void writeHostEndpoint(final HostEndpoint endpoint)
    {
        final Path tmp = root.resolve(HOST_JSON + ".tmp");
        try
        {
            Files.deleteIfExists(tmp);
            writeOwnerOnly(tmp, JSON.writeValueAsString(endpoint));
            Files.move(tmp, hostJson(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new HostControlException(Errno.EIO, "cannot write " + hostJson() + ": " + ex, ex);
        }
    }

    /**
     * @return the endpoint from {@code host.json}, or empty if there is none (no host, or not up yet).
     * @throws UncheckedIOException if the file exists but cannot be read or parsed.
     */
    public Optional<HostEndpoint> readHostEndpoint()
    {
        try
        {
            return Optional.of(JSON.readValue(Files.readString(hostJson()), HostEndpoint.class));
        }
        catch (final NoSuchFileException ex)
        {
            return Optional.empty();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + hostJson() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @return the endpoint of a host that is alive now, or empty (no host.json, or its pid is gone).
     */
    public Optional<HostEndpoint> liveHost()
    {
        return readHostEndpoint().filter(endpoint -> ProcessHandle.of(endpoint.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    /**
     * Delete {@code host.json} and {@code api.token} (the API is going away).
     */
    public void removeEndpointFiles()
    {
        deleteQuietly(hostJson());
        deleteQuietly(tokenFile());
    }

    /**
     * Delete every entry CoopVM makes, then the directory if that left it empty.
     *
     * @return entries left behind because CoopVM did not make them (empty when all is gone).
     */
    public List<String> remove()
    {
        return removeExcept(Set.of());
    }

    /**
     * Delete every entry CoopVM makes except those named, then the directory if that left it
     * empty. A host that fails to start keeps {@code host.log} for whoever started it to read.
     *
     * @param keep entry names to keep, e.g. {@link #HOST_LOG}.
     * @return entries left behind because CoopVM did not make them (not counting kept ones).
     */
    public List<String> removeExcept(final Set<String> keep)
    {
        try
        {
            return deleteOurEntries(keep);
        }
        finally
        {
            releaseLock();
        }
    }

    private List<String> deleteOurEntries(final Set<String> keep)
    {
        final List<String> left = new ArrayList<>();
        boolean kept = false;
        try (Stream<Path> entries = Files.list(root))
        {
            for (final Path entry : entries.toList())
            {
                if (keep.contains(entry.getFileName().toString()))
                {
                    kept = true;
                }
                else if (isKnown(entry))
                {
                    deleteTree(entry);
                }
                else
                {
                    left.add(entry.getFileName().toString());
                }
            }
            if (left.isEmpty() && !kept)
            {
                Files.deleteIfExists(root);
            }
        }
        catch (final NoSuchFileException ex)
        {
            return List.of();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove run dir " + root + ": " + ex.getMessage(), ex);
        }
        return left;
    }

    /**
     * @return whether this object holds the host lock (from {@link #claim()}).
     */
    public synchronized boolean holdsClaim()
    {
        return lock != null;
    }

    /**
     * Give up the host lock without removing anything (for a server that claimed the directory
     * itself); {@link #remove()} does this too.
     */
    public synchronized void releaseLock()
    {
        if (lock != null)
        {
            release(lock);
            lock = null;
        }
    }

    private void checkOnlyKnownEntries() throws IOException
    {
        try (Stream<Path> entries = Files.list(root))
        {
            final List<String> foreign = entries.filter(entry -> !isKnown(entry))
                .map(entry -> entry.getFileName().toString()).sorted().limit(5).toList();
            if (!foreign.isEmpty())
            {
                throw new HostControlException(Errno.EINVAL, "run dir " + root + " holds files CoopVM did not make " +
                    foreign + ": use a new or empty directory");
            }
        }
    }

    private static boolean isKnown(final Path entry)
    {
        return KNOWN_ENTRY.matcher(entry.getFileName().toString()).matches();
    }

    private static void writeOwnerOnly(final Path file, final String text) throws IOException
    {
        try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)))
        {
            channel.write(StandardCharsets.UTF_8.encode(text));
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IOException(file + " appeared while being created", ex);
        }
    }

    private static void deleteTree(final Path entry) throws IOException
    {
        try (Stream<Path> tree = Files.walk(entry))
        {
            for (final Path path : tree.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // best effort: the caller is shutting down
        }
    }
}
