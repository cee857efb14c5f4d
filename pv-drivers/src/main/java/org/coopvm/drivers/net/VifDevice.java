package org.coopvm.drivers.net;

import org.agrona.concurrent.NanoClock;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.xenbus.XenbusBackend;

/**
 * What dom0 keeps for one vif: who it belongs to, its settings, counters, and while connected its
 * ring agent.
 *
 * <p>Thread safety: fields set by the control agent under the backend's monitor.
 */
final class VifDevice
{
    final int domid;
    final int handle;
    final MacAddress mac;
    final Domain domain;
    final int mtu;
    final RateLimiter limiter;
    final NanoClock clock;
    final VifCounters counters = new VifCounters();
    XenbusBackend xenbus;
    NetbackRing ring;
    String lastProblem;

    VifDevice(final int domid, final int handle, final MacAddress mac, final Domain domain, final RateLimiter limiter,
        final NanoClock clock)
    {
        this.domid = domid;
        this.handle = handle;
        this.mac = mac;
        this.domain = domain;
        this.mtu = org.coopvm.rings.netif.NetifRing.DEFAULT_MTU;
        this.limiter = limiter;
        this.clock = clock;
    }

    /** @return the switch port number: domid and handle. */
    int switchPort()
    {
        return domid << 8 | handle;
    }

    @Override
    public String toString()
    {
        return "dom" + domid + " vif" + handle + " (" + mac + ")";
    }
}
