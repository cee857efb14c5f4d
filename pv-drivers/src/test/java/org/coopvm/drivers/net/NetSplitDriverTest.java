package org.coopvm.drivers.net;

import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.drivers.InProcessKernels;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.net.NetFrontend;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two in-process guests with a vif each exchange Ethernet frames through netfront, netback and
 * dom0's switch: every frame arrives intact (checksummed payload), the switch learns both MACs,
 * and the handshake's keys are Xen's.
 */
class NetSplitDriverTest
{
    private static final long DEADLINE_S = 60;
    private static final int FRAMES = 2_000;
    /**
     * Frames the sender may be ahead of the receiver: fewer than B's posted rx buffers (256) plus
     * what its dom0 inbox holds (1 MiB, over 680 full-size frames), so nothing may be dropped however
     * slowly B's kernel runs. Without a window a slow receiver loses frames, as a Xen vif does when its
     * queue is full (that is {@code coop.net.drops{reason=rx_full}}, tested in NetDataPathTest).
     */
    private static final int WINDOW = 512;

    @Test
    void twoGuestsExchangeChecksummedFramesThroughTheSwitch()
    {
        final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null));
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final NetBackend backend = new NetBackend(hypervisor, SystemNanoClock.INSTANCE, new VifMetrics(registry));
        hypervisor.start();
        final XenstoredAccess toolstack = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { });
        final List<GuestKernel> kernels = new ArrayList<>();
        try
        {
            final Domain a = domain(hypervisor, "net-a");
            final Domain b = domain(hypervisor, "net-b");
            final MacAddress macA = MacAddress.parse("00:16:3e:00:00:0a");
            final MacAddress macB = MacAddress.parse("00:16:3e:00:00:0b");
            NetifDevice.create(toolstack, a.domid(), 0, macA, Map.of());
            NetifDevice.create(toolstack, b.domid(), 0, macB, Map.of());
            kernels.add(InProcessKernels.boot(hypervisor, a));
            kernels.add(InProcessKernels.boot(hypervisor, b));
            backend.start(); // after the frontends: they wait in Initialising
            final NetFrontend vifA = connected(kernels.get(0));
            final NetFrontend vifB = connected(kernels.get(1));
            assertThat(toolstack.read(NetifDevice.of(a.domid(), 0).frontendPath() + "/" + NetifDevice.REQUEST_RX_COPY)).contains("1");
            assertThat(toolstack.read(NetifDevice.of(a.domid(), 0).backendPath() + "/" + NetifDevice.FEATURE_RX_COPY)).contains("1");
            assertThat(toolstack.read(NetifDevice.of(a.domid(), 0).backendPath() + "/" + XenbusDevice.STATE)).contains("4");

            final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            final int[] good = new int[1];
            vifB.receive((frame, offset, length) ->
            {
                if (checksumOk(frame, offset, length))
                {
                    good[0]++;
                }
                else
                {
                    problems.add("bad frame of " + length + " bytes");
                }
            });
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
            int sent = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
            while (sent < FRAMES && System.nanoTime() < deadline)
            {
                final int length = 60 + sent * 37 % 1450;
                build(frame, sent == 0 ? MacAddress.BROADCAST : macB, macA, sent, length);
                if (sent - vifB.received() < WINDOW && vifA.send(frame, 0, length) == 0)
                {
                    sent++;
                }
                else
                {
                    LockSupport.parkNanos(20_000); // leave the cores to B's kernel and the vif agents (2-core CI)
                }
            }
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).untilAsserted(() -> assertThat(vifB.received())
                .as(() -> "frames received by B; dom0's counters of A " + backend.counters(a.domid(), 0).map(VifCounters::snapshot) +
                    ", of B " + backend.counters(b.domid(), 0).map(VifCounters::snapshot))
                .isEqualTo(FRAMES));
            assertThat(problems).isEmpty();
            assertThat(vifB.rxErrors()).isZero();
            assertThat(backend.netSwitch().portOf(macA)).isEqualTo(a.domid() << 8);
            assertThat(backend.counters(a.domid(), 0).orElseThrow().get(VifCounters.Value.TX_FRAMES)).isEqualTo(FRAMES);
            assertThat(backend.counters(b.domid(), 0).orElseThrow().get(VifCounters.Value.RX_FRAMES)).isEqualTo(FRAMES);
            assertThat(count(registry, "coop.net.frames", a, "direction", "tx")).as("the scrape sees the vif counters").isEqualTo(FRAMES);
            assertThat(count(registry, "coop.net.frames", b, "direction", "rx")).isEqualTo(FRAMES);
            assertThat(count(registry, "coop.net.bytes", b, "direction", "rx")).isEqualTo(count(registry, "coop.net.bytes", a, "direction", "tx"))
                .isEqualTo((double)backend.counters(a.domid(), 0).orElseThrow().get(VifCounters.Value.TX_BYTES)).isPositive();
            assertThat(count(registry, "coop.net.drops", b, "reason", "rx_full")).isZero();
            assertThat(count(registry, "coop.net.connects", a, null, null)).isEqualTo(1);
        }
        finally
        {
            kernels.forEach(GuestKernel::close);
            backend.close();
            toolstack.close();
            hypervisor.close();
        }
        assertThat(registry.find("coop.net.frames").meters()).as("the meters go with the vifs").isEmpty();
    }

    private static double count(final SimpleMeterRegistry registry, final String name, final Domain domain, final String tag,
        final String value)
    {
        final Search search = registry.find(name).tags("domid", Integer.toString(domain.domid()), "vif", "0");
        return (tag == null ? search : search.tag(tag, value)).functionCounter().count();
    }

    private static NetFrontend connected(final GuestKernel kernel)
    {
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> !kernel.context().netDevices().isEmpty() &&
            kernel.context().netDevices().get(0).isConnected());
        return kernel.context().netDevices().get(0);
    }

    private static Domain domain(final Hypervisor hypervisor, final String name)
    {
        return hypervisor.createDomain(new DomainSpec(name, 1, 16 * 1024, 16 * 1024, 0, true, "block-idle", Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
    }

    /** Destination, source, ethertype 0x88b5 (local experimental), sequence, payload, CRC32 of all before it. */
    static void build(final UnsafeBuffer frame, final MacAddress to, final MacAddress from, final int sequence, final int length)
    {
        putMac(frame, 0, to);
        putMac(frame, 6, from);
        frame.putShort(12, (short)0xB588);
        frame.putInt(14, sequence);
        for (int i = 18; i < length - 8; i++)
        {
            frame.putByte(i, (byte)(i * 31 + sequence));
        }
        frame.putLong(length - 8, crc(frame, 0, length - 8));
    }

    static boolean checksumOk(final org.agrona.DirectBuffer frame, final int offset, final int length)
    {
        return frame.getLong(offset + length - 8) == crc(frame, offset, length - 8);
    }

    private static long crc(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static void putMac(final UnsafeBuffer frame, final int at, final MacAddress mac)
    {
        for (int i = 0; i < 6; i++)
        {
            frame.putByte(at + i, (byte)(mac.value() >>> (40 - 8 * i)));
        }
    }
}
