package org.coopvm.hypervisor.domain;

import org.agrona.concurrent.SystemEpochClock;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.domain.InProcessRegions;
import org.coopvm.rings.domain.StartInfo;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.grant.GrantStatus;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.XenVersionOpDescriptor;
import org.coopvm.rings.region.RegionException;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainLifecycleTest
{
    private final ShmDirectory run = new ShmDirectory();
    private final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(run.path()));
    private final DomainFiles files = new DomainFiles(run.path());
    private final List<String> events = new ArrayList<>();

    @AfterEach
    void close()
    {
        hypervisor.close();
        run.close();
    }

    @Test
    void createMakesOwnerOnlyFilesTheGuestCanAttachAndDestroyRemovesThem() throws IOException
    {
        hypervisor.addLifecycleListener(new Recorder());
        final Domain domain = hypervisor.createDomain(new DomainSpec("web", 2, 4096, 8192, 0, false, "pingpong",
            Map.of("peer", "b"), 4, 65536, 16384));
        final Path dir = files.domainDir(domain.domid());

        assertThat(domain.domid()).isEqualTo(1);
        assertThat(listing(dir)).containsExactlyInAnyOrder(
            "start-info", "shared-info", "hypercall", "vcpu0.rsp", "vcpu1.rsp", "grant-table", "memory", "xenstore", "balloon-stats");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.memory(domain.domid())))).isEqualTo("rw-------");
        assertThat(Files.exists(files.hostDoorbell())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.usage()))).as("usage page, read-only")
            .isEqualTo("r--------");
        try (SharedRegion startInfo = SharedRegion.attachFile(files.startInfo(domain.domid()), RegionType.START_INFO))
        {
            final StartInfo info = new StartInfo().wrap(startInfo.payloadBuffer());
            assertThat(info.problem()).isEmpty();
            assertThat(info.domid()).isEqualTo(domain.domid());
            assertThat(info.memoryPages()).isEqualTo(2048);
            assertThat(info.workloadName()).contains("pingpong");
            assertThat(info.workloadArgs()).contains(Map.of("peer", "b"));
            assertThat(info.hostLiveness().isGone(System.currentTimeMillis(), 1000)).isFalse();
        }

        assertThat(hypervisor.destroyDomain(domain.domid())).isTrue();

        assertThat(Files.exists(dir)).as("domain directory removed").isFalse();
        assertThat(hypervisor.domains()).isEmpty();
        assertThat(events).containsExactly("created dom1", "dom1 RUNNING->DYING", "destroyed dom1");
        assertThat(hypervisor.destroyDomain(domain.domid())).isFalse();
    }

    @Test
    void aStaleDomainDirectoryFailsCreationAndIsLeftUntouched() throws IOException
    {
        final Path stale = files.domainDir(1);
        Files.createDirectory(stale);
        Files.writeString(stale.resolve("note"), "not ours");

        assertThatThrownBy(() -> hypervisor.createDomain(DomainSpec.of("x", 1, 1024, false, "idle")))
            .isInstanceOf(RegionException.class);

        assertThat(listing(stale)).containsExactly("note");
        assertThat(hypervisor.domains()).isEmpty();
        assertThat(hypervisor.createDomain(DomainSpec.of("x", 1, 1024, false, "idle")).domid()).as("next id").isEqualTo(2);
    }

    @Test
    void aFailureAfterTheRegionsWereMadeRemovesThemAll() throws IOException
    {
        final DomainSpec tooMuchText = new DomainSpec("big", 1, 1024, 1024, 0, false, "idle", Map.of("k", "v".repeat(5000)),
            1, 65536, 16384);

        assertThatThrownBy(() -> hypervisor.createDomain(tooMuchText)).isInstanceOf(IllegalArgumentException.class);

        assertThat(listing(run.path())).containsExactlyInAnyOrder("host-doorbell", "usage");
        assertThat(hypervisor.domains()).isEmpty();
    }

    @Test
    void namesAreUniqueAndDomidsAreNotReusedAtOnce()
    {
        final Domain first = hypervisor.createDomain(DomainSpec.of("a", 1, 1024, true, "idle"));
        assertThatThrownBy(() -> hypervisor.createDomain(DomainSpec.of("a", 1, 1024, true, "idle")))
            .isInstanceOf(IllegalArgumentException.class);
        hypervisor.destroyDomain(first.domid());
        assertThat(hypervisor.createDomain(DomainSpec.of("a", 1, 1024, true, "idle")).domid()).isEqualTo(first.domid() + 1);
    }

    @Test
    void pausedDomainIsServedOnlyAfterUnpause()
    {
        hypervisor.addLifecycleListener(new Recorder());
        final Domain domain = hypervisor.createDomain(DomainSpec.of("p", 1, 1024, true, "idle"));
        try (FakeGuest guest = new FakeGuest(hypervisor, domain, true))
        {
            assertThat(hypervisor.pause(domain.domid())).isTrue();
            assertThat(domain.status()).isEqualTo(DomainStatus.PAUSED);
            guest.begin(0, XenVersionOpDescriptor.XENVER_VERSION);
            guest.offer(HypercallOp.XEN_VERSION, 0);
            hypervisor.dispatcher().doWork();
            assertThat(guest.poll(0)).isNull();

            assertThat(hypervisor.unpause(domain.domid())).isTrue();
            assertThat(guest.await(0, 2000).result()).isPositive();
            assertThat(events).contains("dom" + domain.domid() + " RUNNING->PAUSED", "dom" + domain.domid() + " PAUSED->RUNNING");
        }
    }

    @Test
    void toolstackShutdownRecordsTheReasonAndRaisesDomExc()
    {
        final Domain domain = hypervisor.createDomain(DomainSpec.of("s", 1, 1024, true, "idle"));
        try (FakeGuest guest = new FakeGuest(hypervisor, domain, true))
        {
            final long port = guest.evtchn(EventChannelOpDescriptor.EVTCHNOP_BIND_VIRQ, EventChannelOpDescriptor.VIRQ_DOM_EXC, 0);
            assertThat(hypervisor.shutdown(domain.domid(), 0, "xl shutdown")).isTrue();
            assertThat(domain.status()).isEqualTo(DomainStatus.SHUTDOWN);
            assertThat(domain.shutdownDetail()).isEqualTo("xl shutdown");
            assertThat(guest.bits().isPending((int)port)).isTrue();
            assertThat(hypervisor.shutdown(domain.domid(), 3, "again")).isTrue();
            assertThat(domain.shutdownCode()).as("first reason wins").isZero();
        }
    }

    @Test
    void destroyReclaimsPortsAndGrantsAndWaitsForForeignMappingsOfItsMemory()
    {
        final Domain a = hypervisor.createDomain(DomainSpec.of("a", 1, 1024, false, "idle"));
        final Domain b = hypervisor.createDomain(DomainSpec.of("b", 1, 1024, false, "idle"));
        try (FakeGuest ga = new FakeGuest(hypervisor, a, true); FakeGuest gb = new FakeGuest(hypervisor, b, true))
        {
            final int bPort = gb.allocUnbound(a.domid());
            ga.evtchn(EventChannelOpDescriptor.EVTCHNOP_BIND_INTERDOMAIN, b.domid(), bPort);
            ga.grants().grantAccess(5, 0, 1, false);
            gb.grants().grantAccess(6, a.domid(), 2, false);
            final Hypervisor.MapResult dom0Map = hypervisor.dom0Map(a.domid(), 5, false);
            assertThat(dom0Map.status()).isEqualTo(GrantStatus.GNTST_OKAY);
            assertThat(hypervisor.locked(() -> hypervisor.grantTables().map(a, b.domid(), 6, false))).isNotNegative();
            assertThat(gb.grants().isInUse(6)).isTrue();

            hypervisor.destroyDomain(a.domid());

            assertThat(gb.grants().isInUse(6)).as("a's mapping of b's page released").isFalse();
            assertThat(hypervisor.locked(() -> hypervisor.eventChannels().openPorts(b))).as("b's xenstore port and its own").isEqualTo(2);
            gb.begin(0, EventChannelOpDescriptor.EVTCHNOP_STATUS).argInt(0, EventChannelOpDescriptor.DOMID_SELF).argInt(4, bPort);
            assertThat(gb.call(HypercallOp.EVENT_CHANNEL_OP, 8).outInt(EventChannelOpDescriptor.STATUS_STATUS_OUT_OFFSET))
                .isEqualTo(EventChannelOpDescriptor.EVTCHNSTAT_UNBOUND);
            assertThat(a.status()).as("dom0 still maps a page of a").isEqualTo(DomainStatus.DYING);
            assertThat(Files.exists(files.memory(a.domid()))).isTrue();
            assertThat(dom0Map.mapping().page().getLong(0)).as("the page stays readable while mapped").isZero();

            assertThat(hypervisor.dom0Unmap(dom0Map.mapping().handle())).isEqualTo(GrantStatus.GNTST_OKAY);

            assertThat(Files.exists(files.domainDir(a.domid()))).as("reclaimed after the last unmap").isFalse();
            assertThat(hypervisor.domains()).containsExactly(b);
        }
    }

    @Test
    void anInProcessKernelsRegionsStayMappedUntilItReleasesThemEvenWhenTheDomainIsDestroyedUnderIt()
    {
        hypervisor.addLifecycleListener(new Recorder());
        final Domain domain = hypervisor.createDomain(DomainSpec.of("inproc", 1, 1024, true, "idle"));
        final InProcessRegions regions = hypervisor.inProcessRegions(domain.domid());
        regions.memory().payloadBuffer().putLong(0, 42);
        final ChannelConsumer responses = regions.vcpuResponses().get(0).openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);

        hypervisor.destroyDomain(domain.domid());

        assertThat(domain.status()).as("held by the kernel").isEqualTo(DomainStatus.DYING);
        assertThat(responses.isPeerGone()).as("the host's channel ends closed: the kernel sees the host gone").isTrue();
        assertThat(regions.memory().payloadBuffer().getLong(0)).as("its pages still mapped").isEqualTo(42);
        assertThat(events).doesNotContain("destroyed dom" + domain.domid());
        assertThatThrownBy(() -> hypervisor.inProcessRegions(domain.domid())).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no live guest domain " + domain.domid());

        responses.close();
        regions.release().run();
        regions.release().run();

        assertThat(events).containsOnlyOnce("destroyed dom" + domain.domid());
        assertThat(hypervisor.domains()).isEmpty();
    }

    @Test
    void hundredCreateDestroyCyclesLeaveNothingBehind() throws IOException
    {
        final Domain peer = hypervisor.createDomain(DomainSpec.of("peer", 1, 1024, true, "idle"));
        final int[] peerPort = new int[1];
        try (FakeGuest gp = new FakeGuest(hypervisor, peer, true))
        {
            for (int cycle = 0; cycle < 100; cycle++)
            {
                final Domain domain = hypervisor.createDomain(DomainSpec.of("cycle", 2, 1024, false, "idle"));
                try (FakeGuest guest = new FakeGuest(hypervisor, domain, true))
                {
                    final int port = gp.allocUnbound(domain.domid());
                    peerPort[0] = port;
                    guest.evtchn(EventChannelOpDescriptor.EVTCHNOP_BIND_INTERDOMAIN, peer.domid(), port);
                    guest.grants().grantAccess(2, peer.domid(), 1, false);
                    assertThat(hypervisor.locked(() -> hypervisor.grantTables().map(peer, domain.domid(), 2, false))).isNotNegative();
                    hypervisor.destroyDomain(domain.domid());
                }
                assertThat(hypervisor.locked(() -> hypervisor.eventChannels().openPorts(peer))).as("peer port left unbound, beside its xenstore port").isEqualTo(2);
                gp.evtchn(EventChannelOpDescriptor.EVTCHNOP_CLOSE, peerPort[0]);
                hypervisor.locked(() -> hypervisor.grantTables().unmap(peer, 0));
            }
        }
        assertThat(listing(run.path())).containsExactlyInAnyOrder("host-doorbell", "usage");
        assertThat(hypervisor.domains()).containsExactly(peer);
        assertThat(hypervisor.locked(() -> hypervisor.grantTables().mappingsHeldBy(peer))).isZero();
        assertThat(hypervisor.dispatcher().queuedTimers()).isZero();
    }

    private static List<String> listing(final Path dir) throws IOException
    {
        try (Stream<Path> entries = Files.list(dir))
        {
            return entries.map(path -> path.getFileName().toString()).toList();
        }
    }

    private final class Recorder implements DomainLifecycleListener
    {
        @Override
        public void onCreated(final Domain domain)
        {
            events.add("created dom" + domain.domid());
        }

        @Override
        public void onStateChanged(final Domain domain, final DomainStatus from, final DomainStatus to)
        {
            events.add("dom" + domain.domid() + " " + from + "->" + to);
        }

        @Override
        public void onDestroyed(final Domain domain)
        {
            events.add("destroyed dom" + domain.domid());
        }
    }
}
