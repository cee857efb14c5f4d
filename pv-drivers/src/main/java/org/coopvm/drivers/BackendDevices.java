package org.coopvm.drivers;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.coopvm.hypervisor.domain.Domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * The devices one dom0 backend (console, block, net) serves, by frontend domain and device id, and
 * the attach/remove bookkeeping every backend does the same way. A device is {@link #add added} once
 * its xenbus backend started; it is released (the backend's {@code release}: close its xenbus
 * backend, which disconnects it and goes Closing then Closed, and whatever else it holds) when the
 * toolstack {@link #detach detaches} its domain, when its domain dies ({@link #sweep}), when the
 * toolstack removes its directory ({@link #releaseUnlisted}) and when the backend closes
 * ({@link #releaseAll}). A device that cannot be served (an image that does not open) may be
 * {@link #refuse refused}: it is not tried again until its directory goes.
 *
 * <p>Thread safety: none of its own: guarded by the owning backend's monitor, which the control
 * agent's duty cycle ({@link BackendDutyCycle}) and the backend's public methods hold.
 *
 * @param <D> the backend's device.
 */
public final class BackendDevices<D>
{
    private final Long2ObjectHashMap<Entry<D>> entries = new Long2ObjectHashMap<>();
    private final LongHashSet refused = new LongHashSet();
    private final Consumer<D> release;

    /**
     * @param release what releasing a device means for the backend (run after it left the registry).
     */
    public BackendDevices(final Consumer<D> release)
    {
        this.release = release;
    }

    /**
     * @param domid the frontend's domain.
     * @param devid the device id (a virtual device number, a vif handle, 0 for a console).
     * @return the registry's key of that device.
     */
    public static long key(final int domid, final int devid)
    {
        return (long)domid << 32 | (devid & 0xFFFF_FFFFL);
    }

    /**
     * Serve a device from now on (its xenbus backend started).
     *
     * @param domid  the frontend's domain.
     * @param devid  the device id.
     * @param domain the frontend's domain, watched for dying.
     * @param device the backend's device.
     */
    public void add(final int domid, final int devid, final Domain domain, final D device)
    {
        entries.put(key(domid, devid), new Entry<>(domid, devid, domain, device));
    }

    /**
     * Do not try to serve a device again until its directory goes (see {@link #releaseUnlisted}).
     *
     * @param domid the frontend's domain.
     * @param devid the device id.
     */
    public void refuse(final int domid, final int devid)
    {
        refused.add(key(domid, devid));
    }

    /**
     * @param domid the frontend's domain.
     * @param devid the device id.
     * @return the device, or {@code null} when it is not served.
     */
    public D get(final int domid, final int devid)
    {
        final Entry<D> entry = entries.get(key(domid, devid));
        return entry == null ? null : entry.device();
    }

    /**
     * @param key a device's {@link #key}.
     * @return whether the device is served or was refused.
     */
    public boolean isKnown(final long key)
    {
        return entries.containsKey(key) || refused.contains(key);
    }

    /** @return devices served (connected, or waiting for their frontend). */
    public int size()
    {
        return entries.size();
    }

    /**
     * Release a domain's devices now (the toolstack destroys the domain).
     *
     * @param domid the domain.
     * @return devices released.
     */
    public int detach(final int domid)
    {
        final List<Entry<D>> gone = new ArrayList<>();
        for (final Entry<D> entry : entries.values())
        {
            if (entry.domid() == domid)
            {
                gone.add(entry);
            }
        }
        gone.forEach(this::remove);
        return gone.size();
    }

    /**
     * One duty cycle over the devices: the live ones get the backend's work, the dying domains'
     * ones are released (after the others were served).
     *
     * @param serveLive the backend's work for a device whose domain is alive; returns work done.
     * @return work done: the live devices' plus one per device released.
     */
    public int sweep(final ToIntFunction<D> serveLive)
    {
        int work = 0;
        List<Entry<D>> dying = null;
        for (final Entry<D> entry : entries.values())
        {
            if (entry.domain().isDying())
            {
                dying = BackendAgents.add(dying, entry);
            }
            else
            {
                work += serveLive.applyAsInt(entry.device());
            }
        }
        if (dying != null)
        {
            dying.forEach(this::remove);
            work += dying.size();
        }
        return work;
    }

    /**
     * After a rescan: release the devices whose directory the toolstack removed, and forget the
     * refusals of directories that went.
     *
     * @param listed the {@link #key keys} of the device directories there are.
     * @return devices released.
     */
    public int releaseUnlisted(final LongHashSet listed)
    {
        final List<Entry<D>> gone = new ArrayList<>();
        for (final Entry<D> entry : entries.values())
        {
            if (!listed.contains(entry.key()))
            {
                gone.add(entry);
            }
        }
        gone.forEach(this::remove);
        refused.removeIf(key -> !listed.contains(key));
        return gone.size();
    }

    /**
     * @param value a figure of a device.
     * @return the sum of that figure over the devices served.
     */
    public long sum(final ToLongFunction<D> value)
    {
        long sum = 0;
        for (final Entry<D> entry : entries.values())
        {
            sum += value.applyAsLong(entry.device());
        }
        return sum;
    }

    /** Release every device (the backend closes). */
    public void releaseAll()
    {
        List.copyOf(entries.values()).forEach(this::remove);
    }

    private void remove(final Entry<D> entry)
    {
        entries.remove(entry.key());
        release.accept(entry.device());
    }

    /** A served device and what the registry needs to know of it. */
    private record Entry<D>(int domid, int devid, Domain domain, D device)
    {
        long key()
        {
            return BackendDevices.key(domid, devid);
        }
    }
}
