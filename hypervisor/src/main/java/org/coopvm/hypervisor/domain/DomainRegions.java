package org.coopvm.hypervisor.domain;

import org.coopvm.rings.balloon.BalloonStatsDescriptor;
import org.coopvm.rings.channel.ChannelKind;
import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.domain.SharedInfoDescriptor;
import org.coopvm.rings.domain.StartInfoDescriptor;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionException;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.xenstore.XenstoreInterfaceDescriptor;
import org.coopvm.rings.region.SharedRegion;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Every shared region of one domain (layouts in docs/abi.md): files under {@code <run>/dom<N>/}
 * for a process guest, anonymous memory for an in-process one. Creation is all or nothing: on a
 * failure halfway, whatever was made is closed and unlinked and the directory removed.
 * {@link #close()} does the same for a complete set.
 *
 * <p>Thread safety: create and close from one thread; the regions themselves follow
 * {@link SharedRegion}'s rules (close only once nobody uses them).
 */
public final class DomainRegions implements AutoCloseable
{
    private final Path directory;
    private final Deque<AutoCloseable> made;
    private final SharedRegion startInfo;
    private final SharedRegion sharedInfo;
    private final MessageChannel hypercall;
    private final MessageChannel[] responses;
    private final SharedRegion grantTable;
    private final SharedRegion memory;
    private final SharedRegion xenstore;
    private final SharedRegion balloonStats;
    private boolean closed;

    private DomainRegions(final Builder builder)
    {
        this.directory = builder.directory;
        this.made = builder.made;
        this.startInfo = builder.startInfo;
        this.sharedInfo = builder.sharedInfo;
        this.hypercall = builder.hypercall;
        this.responses = builder.responses;
        this.grantTable = builder.grantTable;
        this.memory = builder.memory;
        this.xenstore = builder.xenstore;
        this.balloonStats = builder.balloonStats;
    }

    /**
     * Create a domain's regions.
     *
     * @param files where the files go; {@code null} for anonymous regions (in-process guest).
     * @param domid the domain.
     * @param spec  sizes.
     * @return the regions, headers written, payloads zero.
     * @throws RegionException when a file exists already or cannot be created; nothing is left behind.
     */
    public static DomainRegions create(final DomainFiles files, final int domid, final DomainSpec spec)
    {
        final Builder builder = new Builder(files, domid);
        try
        {
            builder.build(spec);
            return new DomainRegions(builder);
        }
        catch (final RuntimeException ex)
        {
            closeAll(builder.made, builder.directory);
            throw ex;
        }
    }

    /** @return the start info region (payload: StartInfoDescriptor). */
    public SharedRegion startInfo()
    {
        return startInfo;
    }

    /** @return the shared info region (payload: SharedInfoDescriptor). */
    public SharedRegion sharedInfo()
    {
        return sharedInfo;
    }

    /** @return the hypercall channel (many-to-one, guest vCPUs to the host). */
    public MessageChannel hypercall()
    {
        return hypercall;
    }

    /**
     * @param vcpu a vCPU of the domain.
     * @return its response channel (one-to-one, host to the vCPU).
     */
    public MessageChannel response(final int vcpu)
    {
        return responses[vcpu];
    }

    /** @return the grant table region. */
    public SharedRegion grantTable()
    {
        return grantTable;
    }

    /** @return the memory region: one page per frame. */
    public SharedRegion memory()
    {
        return memory;
    }

    /** @return the xenstore ring page (payload: XenstoreInterfaceDescriptor). */
    public SharedRegion xenstore()
    {
        return xenstore;
    }

    /** @return the balloon stats region the guest writes (payload: BalloonStatsDescriptor). */
    public SharedRegion balloonStats()
    {
        return balloonStats;
    }

    /** @return {@code <run>/dom<N>}, empty for anonymous regions. */
    public Optional<Path> directory()
    {
        return Optional.ofNullable(directory);
    }

    /** Close (unmap, unlink) every region in reverse order of creation, then remove the directory. Idempotent. */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            closeAll(made, directory);
        }
    }

    private static void closeAll(final Deque<AutoCloseable> made, final Path directory)
    {
        while (!made.isEmpty())
        {
            try
            {
                made.pop().close();
            }
            catch (final Exception ignore)
            {
                // keep closing the rest: each close is independent
            }
        }
        if (directory != null)
        {
            try
            {
                Files.deleteIfExists(directory);
            }
            catch (final DirectoryNotEmptyException ex)
            {
                // something we did not make is in there; leave it for the host's run dir cleanup
            }
            catch (final IOException ignore)
            {
                // best effort, as for region files
            }
        }
    }

    private static final class Builder
    {
        private final DomainFiles files;
        private final int domid;
        private final Deque<AutoCloseable> made = new ArrayDeque<>();
        private Path directory;
        private SharedRegion startInfo;
        private SharedRegion sharedInfo;
        private MessageChannel hypercall;
        private MessageChannel[] responses;
        private SharedRegion grantTable;
        private SharedRegion memory;
        private SharedRegion xenstore;
        private SharedRegion balloonStats;

        Builder(final DomainFiles files, final int domid)
        {
            this.files = files;
            this.domid = domid;
        }

        void build(final DomainSpec spec)
        {
            createDirectory();
            startInfo = region(files == null ? null : files.startInfo(domid), RegionType.START_INFO, StartInfoDescriptor.PAYLOAD_LENGTH);
            sharedInfo = region(files == null ? null : files.sharedInfo(domid), RegionType.SHARED_INFO, SharedInfoDescriptor.PAYLOAD_LENGTH);
            hypercall = channel(files == null ? null : files.hypercall(domid), ChannelKind.MANY_TO_ONE, spec.hypercallCapacityBytes());
            responses = new MessageChannel[spec.vcpus()];
            for (int vcpu = 0; vcpu < spec.vcpus(); vcpu++)
            {
                responses[vcpu] = channel(
                    files == null ? null : files.vcpuResponse(domid, vcpu), ChannelKind.ONE_TO_ONE, spec.responseCapacityBytes());
            }
            grantTable = region(files == null ? null : files.grantTable(domid), RegionType.GRANT_TABLE,
                (long)spec.grantFrames() * Pages.PAGE_SIZE);
            memory = region(files == null ? null : files.memory(domid), RegionType.GUEST_MEMORY,
                (long)spec.memoryPages() * Pages.PAGE_SIZE);
            xenstore = region(files == null ? null : files.xenstore(domid), RegionType.XENSTORE, XenstoreInterfaceDescriptor.PAYLOAD_LENGTH);
            balloonStats = region(files == null ? null : files.balloonStats(domid), RegionType.BALLOON_STATS,
                BalloonStatsDescriptor.PAYLOAD_LENGTH);
        }

        private void createDirectory()
        {
            if (files == null)
            {
                return;
            }
            final Path dir = files.domainDir(domid);
            try
            {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                directory = dir;
            }
            catch (final IOException ex)
            {
                throw new RegionException(Files.exists(dir) ? RegionException.Reason.ALREADY_EXISTS : RegionException.Reason.IO,
                    "cannot create domain directory " + dir + ": " + ex, ex);
            }
        }

        private SharedRegion region(final Path file, final RegionType type, final long payloadLength)
        {
            final SharedRegion region = file == null ?
                SharedRegion.createAnonymous(type, domid, payloadLength) : SharedRegion.createFile(file, type, domid, payloadLength);
            made.push(region);
            return region;
        }

        private MessageChannel channel(final Path file, final ChannelKind kind, final int capacity)
        {
            final MessageChannel channel = file == null ?
                MessageChannel.createAnonymous(kind, capacity, domid) : MessageChannel.createFile(file, kind, capacity, domid);
            made.push(channel);
            return channel;
        }
    }
}
