package org.coopvm.cli.toolstack;

import org.coopvm.drivers.block.BlockBackend;
import org.coopvm.guest.swap.SwapGuestDriver;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.config.DiskSpec;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.blkif.BlkifDevice;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The toolstack's part of virtual disks (libxl's {@code libxl__device_disk_add} and its
 * teardown): before a guest boots, each disk of its config is checked (the image exists, or is
 * created sparse at the config's {@code size=}; no other domain has it attached unless both only
 * read it) and its two xenbus directories are made, which the block backend picks up, and the
 * config's {@code swap} disk is named in the guest's {@code swap/device} (owned by dom0, as the rest
 * of the domain's home: the guest reads it); when the
 * domain is destroyed the backend lets go of its disks first, then the directories go.
 *
 * <p>Thread safety: called under the {@link Toolstack}'s monitor.
 */
final class DiskAttachments
{
    private final XenstoredAccess xenstore;
    private final BlockBackend backend;

    DiskAttachments(final XenstoredAccess xenstore, final BlockBackend backend)
    {
        this.xenstore = xenstore;
        this.backend = backend;
    }

    /**
     * Check every disk of the config, then make the devices.
     *
     * @param domid  the new domain.
     * @param config its config.
     * @param others the other domains the toolstack runs.
     * @throws HostControlException naming the disk and what is wrong (nothing is made then).
     */
    void attach(final int domid, final DomainConfig config, final Collection<DomainRecord> others)
    {
        for (final DiskSpec disk : config.disks())
        {
            checkNotShared(config, disk, others);
            prepareImage(config, disk);
        }
        for (final DiskSpec disk : config.disks())
        {
            BlkifDevice.create(xenstore, domid, disk.vdev(), disk.target().toString(), disk.readOnly());
        }
        if (!config.swap().isEmpty())
        {
            xenstore.write("/local/domain/" + domid + "/" + SwapGuestDriver.DEVICE_NODE, config.swap());
        }
    }

    /**
     * The backend releases the domain's disks (rings, mappings, images), then their directories go.
     *
     * @param domid  the domain.
     * @param config its config.
     */
    void detach(final int domid, final DomainConfig config)
    {
        backend.detach(domid);
        for (final DiskSpec disk : config.disks())
        {
            BlkifDevice.remove(xenstore, domid, disk.vdev());
        }
    }

    private static void checkNotShared(final DomainConfig config, final DiskSpec disk, final Collection<DomainRecord> others)
    {
        for (final DomainRecord other : others)
        {
            for (final DiskSpec theirs : other.config().disks())
            {
                if (theirs.target().equals(disk.target()) && !(theirs.readOnly() && disk.readOnly()))
                {
                    throw new HostControlException(Errno.EBUSY, "disk " + disk.vdev().name() + " of " + config.name() + ": " +
                        disk.target() + " is attached to " + other.config().name() + " as " + theirs.vdev().name() +
                        (theirs.readOnly() ? "" : ", writable") + "; only read-only disks may be shared");
                }
            }
        }
    }

    private static void prepareImage(final DomainConfig config, final DiskSpec disk)
    {
        final Path image = disk.target();
        final String what = "disk " + disk.vdev().name() + " of " + config.name() + ": ";
        if (Files.isRegularFile(image))
        {
            return;
        }
        if (Files.exists(image))
        {
            throw new HostControlException(Errno.EINVAL, what + image + " is not a regular file");
        }
        if (disk.createBytes() == 0)
        {
            throw new HostControlException(Errno.ENOENT, what + image + " does not exist (add size=<n>M to the disk spec to create it)");
        }
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw"))
        {
            file.setLength(disk.createBytes());
        }
        catch (final IOException ex)
        {
            throw new HostControlException(Errno.EIO, what + "cannot create " + image + ": " + ex.getMessage(), ex);
        }
    }
}
