package org.coopvm.drivers.net;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.rings.domain.SharedInfoDescriptor;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.xenbus.XenbusBackend;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenstoreNumbers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The network part of one vif's xenbus backend: the features it publishes with InitWait, and the
 * frontend's keys ({@code tx-ring-ref}, {@code rx-ring-ref}, {@code event-channel},
 * {@code request-rx-copy}) turned into a served pair of rings on connect, released on disconnect.
 *
 * <p>Threading: the {@link XenbusBackend}'s (the backend's control agent, under its monitor).
 */
final class VifDriver implements XenbusBackend.Driver
{
    private final Hypervisor hypervisor;
    private final VifDevice device;
    private final NetSwitch netSwitch;
    private final BiConsumer<VifDevice, String> refused;
    private final Runnable wakeControl;
    private final Runnable invalidState;

    VifDriver(final Hypervisor hypervisor, final VifDevice device, final NetSwitch netSwitch,
        final BiConsumer<VifDevice, String> refused, final Runnable wakeControl, final Runnable invalidState)
    {
        this.hypervisor = hypervisor;
        this.device = device;
        this.netSwitch = netSwitch;
        this.refused = refused;
        this.wakeControl = wakeControl;
        this.invalidState = invalidState;
    }

    @Override
    public Map<String, String> features(final XenbusEnd end)
    {
        final Map<String, String> keys = new LinkedHashMap<>();
        keys.put(NetifDevice.FEATURE_RX_COPY, "1");
        keys.put(NetifDevice.FEATURE_RX_FLIP, "0");
        keys.put(NetifDevice.FEATURE_SG, "0");
        keys.put(NetifDevice.FEATURE_GSO_TCPV4, "0");
        return keys;
    }

    @Override
    public boolean connect(final XenbusEnd end)
    {
        final long txRef = XenstoreNumbers.decimal(end.readOther(NetifDevice.TX_RING_REF), Integer.MAX_VALUE);
        final long rxRef = XenstoreNumbers.decimal(end.readOther(NetifDevice.RX_RING_REF), Integer.MAX_VALUE);
        final long remotePort = XenstoreNumbers.decimal(end.readOther(NetifDevice.EVENT_CHANNEL), SharedInfoDescriptor.NR_EVENT_CHANNELS - 1);
        if (txRef < 0 || rxRef < 0 || remotePort <= 0)
        {
            refused.accept(device, "tx-ring-ref, rx-ring-ref or event-channel missing or not a number");
            return false;
        }
        if (!end.readOther(NetifDevice.REQUEST_RX_COPY).map("1"::equals).orElse(false))
        {
            refused.accept(device, "request-rx-copy is not 1 (page flipping is not served)");
            return false;
        }
        final NetbackRing.RingPage tx = map((int)txRef, "tx-ring-ref");
        final NetbackRing.RingPage rx = tx == null ? null : map((int)rxRef, "rx-ring-ref");
        if (rx == null)
        {
            unmap(tx);
            return false;
        }
        final long port = hypervisor.dom0BindInterdomain(device.domid, (int)remotePort);
        if (port < 0)
        {
            unmap(tx);
            unmap(rx);
            refused.accept(device, "event-channel " + remotePort + " does not bind: " + port);
            return false;
        }
        device.ring = new NetbackRing(hypervisor, device, tx, rx, (int)port, netSwitch, wakeControl);
        device.ring.start();
        device.counters.add(VifCounters.Value.CONNECTS, 1);
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

    private NetbackRing.RingPage map(final int ref, final String key)
    {
        final Hypervisor.MapResult result = hypervisor.dom0Map(device.domid, ref, false);
        if (result.status() != 0)
        {
            refused.accept(device, key + " " + ref + " does not map: " + result.status());
            return null;
        }
        return new NetbackRing.RingPage(result.mapping().page(), result.mapping().handle());
    }

    private void unmap(final NetbackRing.RingPage page)
    {
        if (page != null)
        {
            hypervisor.dom0Unmap(page.handle());
        }
    }

}
