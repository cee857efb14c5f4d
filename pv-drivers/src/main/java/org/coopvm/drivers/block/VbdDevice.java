package org.coopvm.drivers.block;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.xenbus.XenbusBackend;

/**
 * One virtual disk as dom0's block backend holds it: the guest, the device's number and name,
 * its open image, counters, its xenbus backend, and while connected the ring being served.
 *
 * <p>Thread safety: guarded by the {@link BlockBackend}'s monitor.
 */
final class VbdDevice
{
    final int domid;
    final int devid;
    final String name;
    final Domain domain;
    final DiskImage image;
    final VbdCounters counters = new VbdCounters();
    XenbusBackend xenbus;
    BlkbackRing ring;
    String lastProblem;
    long warnings;
    long lastWarningNs;

    VbdDevice(final int domid, final int devid, final String name, final Domain domain, final DiskImage image)
    {
        this.domid = domid;
        this.devid = devid;
        this.name = name;
        this.domain = domain;
        this.image = image;
    }

    boolean isConnected()
    {
        return ring != null;
    }

    @Override
    public String toString()
    {
        return "dom" + domid + " " + name + " (" + image.path() + (image.readOnly() ? ", read-only)" : ")");
    }
}
