package org.coopvm.drivers.block;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.BlkifRequestDescriptor;
import org.coopvm.rings.blkif.BlkifRing;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.xenbus.XenbusBackend;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The block part of one disk's xenbus backend: the features it publishes with InitWait, and the
 * frontend's keys turned into a served ring on connect (mapped, bound, announced with
 * {@code sectors}, {@code sector-size} and {@code info}, its agent started), released on
 * disconnect.
 *
 * <p>Threading: the {@link XenbusBackend}'s (the backend's control agent, under its monitor).
 */
final class VbdDriver implements XenbusBackend.Driver
{
    private final Hypervisor hypervisor;
    private final VbdDevice device;
    private final BiConsumer<VbdDevice, String> refused;
    private final Runnable wakeControl;
    private final Runnable invalidState;

    VbdDriver(final Hypervisor hypervisor, final VbdDevice device, final BiConsumer<VbdDevice, String> refused,
        final Runnable wakeControl, final Runnable invalidState)
    {
        this.hypervisor = hypervisor;
        this.device = device;
        this.refused = refused;
        this.wakeControl = wakeControl;
        this.invalidState = invalidState;
    }

    @Override
    public Map<String, String> features(final XenbusEnd end)
    {
        final boolean writable = !device.image.readOnly();
        final Map<String, String> keys = new LinkedHashMap<>();
        keys.put(BlkifDevice.FEATURE_FLUSH_CACHE, "1");
        keys.put(BlkifDevice.FEATURE_BARRIER, "1");
        keys.put(BlkifDevice.FEATURE_DISCARD, writable ? "1" : "0");
        keys.put(BlkifDevice.DISCARD_GRANULARITY, Integer.toString(Pages.PAGE_SIZE));
        keys.put(BlkifDevice.DISCARD_ALIGNMENT, "0");
        keys.put(BlkifDevice.DISCARD_SECURE, "0");
        keys.put(BlkifDevice.FEATURE_PERSISTENT, "1");
        keys.put(BlkifDevice.MAX_RING_PAGE_ORDER, Integer.toString(BlkifRing.MAX_RING_PAGE_ORDER));
        keys.put(BlkifDevice.FEATURE_MAX_INDIRECT_SEGMENTS, Integer.toString(RequestServer.MAX_INDIRECT_SEGMENTS));
        return keys;
    }

    @Override
    public boolean connect(final XenbusEnd end)
    {
        final FrontendKeys.Result read = FrontendKeys.read(end);
        if (read.keys() == null)
        {
            refused.accept(device, read.refusal());
            return false;
        }
        final FrontendKeys keys = read.keys();
        final String[] problem = new String[1];
        final RingPages pages = RingPages.map(hypervisor, device.domid, keys.ringRefs(), problem);
        if (pages == null)
        {
            refused.accept(device, problem[0]);
            return false;
        }
        final long port = hypervisor.dom0BindInterdomain(device.domid, keys.port());
        if (port < 0)
        {
            pages.close();
            refused.accept(device, "event-channel " + keys.port() + " does not bind: " + port);
            return false;
        }
        if (!announce(end))
        {
            hypervisor.dom0Close((int)port);
            pages.close();
            return false;
        }
        device.ring = ring(keys, pages, (int)port);
        device.ring.start();
        device.counters.add(VbdCounters.Value.CONNECTS, 1);
        return true;
    }

    @Override
    public void disconnect(final XenbusEnd end)
    {
        if (device.ring != null)
        {
            device.ring.close();
            device.ring = null;
        }
    }

    @Override
    public void invalidState(final XenbusEnd end, final String detail)
    {
        invalidState.run();
    }

    private BlkbackRing ring(final FrontendKeys keys, final RingPages pages, final int port)
    {
        final int entries = BlkifRing.entries(keys.order());
        final GrantPages grants = new GrantPages(hypervisor, device.domid, keys.persistent(),
            Math.min(BlockBackend.MAX_PERSISTENT_GRANTS, entries * BlkifRequestDescriptor.MAX_SEGMENTS), device.counters,
            RequestServer.MAX_PAGES_PER_REQUEST);
        final RequestServer server = new RequestServer(device.image, device.domain, grants, device.counters);
        return new BlkbackRing(hypervisor, "blkback-" + device.domid + "-" + device.name, pages, keys.order(), port, grants, server,
            device.counters, wakeControl);
    }

    /** Publish the disk's size and flags in the backend's directory, before Connected. */
    private boolean announce(final XenbusEnd end)
    {
        final Map<String, String> keys = Map.of(
            BlkifDevice.SECTORS, Long.toString(device.image.sectors()),
            BlkifDevice.SECTOR_SIZE, Integer.toString(BlkifRequestDescriptor.SECTOR_SIZE),
            BlkifDevice.INFO, Integer.toString(device.image.readOnly() ? BlkifDevice.VDISK_READONLY : 0));
        try
        {
            return end.writeOwn(keys);
        }
        catch (final XenstoreAccessException ex)
        {
            return false;
        }
    }
}
