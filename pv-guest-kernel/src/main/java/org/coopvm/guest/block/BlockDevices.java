package org.coopvm.guest.block;

import java.util.List;
import java.util.Optional;

/**
 * The guest's virtual disks, as the {@code block} guest driver found them under
 * {@code device/vbd} at boot.
 *
 * <p>Thread safety: any thread.
 */
public interface BlockDevices
{
    /** No disks (a kernel without the driver, or without xenstore). */
    BlockDevices NONE = List::of;

    /** @return every disk, in xenstore order. */
    List<BlockDevice> list();

    /**
     * @param name a device name such as {@code xvda}.
     * @return that disk.
     */
    default Optional<BlockDevice> byName(final String name)
    {
        return list().stream().filter(device -> device.name().equals(name)).findFirst();
    }
}
