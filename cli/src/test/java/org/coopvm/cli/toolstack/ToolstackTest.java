package org.coopvm.cli.toolstack;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.trace.TraceLevel;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.console.ConsoleDevice;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The toolstack in the test's JVM with in-process guests: nothing leaks over 100 create and
 * destroy cycles (xenstore nodes included), the pool's books hold, the metrics move when guests
 * work, and each guest's console is a xenbus device that comes and goes with it.
 */
class ToolstackTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Path root;
    private Path runDir;
    private MeterRegistry registry;
    private Toolstack toolstack;

    @BeforeEach
    void start() throws IOException
    {
        root = Files.createTempDirectory(Path.of("/dev/shm"), "coop-toolstack-");
        runDir = Files.createDirectory(root.resolve("run"));
        registry = new SimpleMeterRegistry();
        toolstack = (Toolstack)new ToolstackFactory().create(
            new HostConfig(256, 2, runDir, 0, HostConfig.LOOPBACK, TraceLevel.LIFECYCLE), registry);
    }

    @AfterEach
    void stop() throws IOException
    {
        toolstack.stop();
        registry.close();
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void hundredCreateDestroyCyclesLeaveNoThreadFileMappingOrDomain() throws Exception
    {
        cycle(0); // warm up the JVM's own lazily started threads
        final long threadsBefore = Thread.activeCount();
        final long mappingsBefore = mappings();
        final int nodesBefore = toolstack.hypervisor().xenstored().nodeCount();

        for (int i = 1; i <= 100; i++)
        {
            cycle(i);
        }

        await(() -> Thread.activeCount() <= threadsBefore);
        // A domain leaked per cycle would leave several region mappings each, hundreds in all;
        // the slack is for the JVM's own growth (code cache, GC, thread stacks) on a busy machine.
        assertThat(mappings()).as("memory mappings of the host JVM").isLessThanOrEqualTo(mappingsBefore + 32);
        assertThat(toolstack.list()).isEmpty();
        assertThat(toolstack.hypervisor().domains()).isEmpty();
        try (Stream<Path> entries = Files.list(runDir))
        {
            assertThat(entries.map(path -> path.getFileName().toString())).noneMatch(name -> name.matches("dom[0-9]+"));
        }
        assertThat(toolstack.hostInfo().freeMib()).isEqualTo(256);
        assertThat(toolstack.hypervisor().xenstored().nodeCount()).as("xenstore nodes (domain trees, console devices)")
            .isEqualTo(nodesBefore);
    }

    @Test
    void eachGuestsConsoleIsAXenbusDeviceThatConnectsAndGoesWithTheDomain() throws Exception
    {
        final int domid = toolstack.create(idle("console", 16)).domid();
        final Xenstored xenstored = toolstack.hypervisor().xenstored();
        final XenbusDevice device = ConsoleDevice.of(domid);

        await(() -> "4".equals(node(xenstored, device.frontendPath() + "/state")) &&
            "4".equals(node(xenstored, device.backendPath() + "/state")));
        assertThat(node(xenstored, device.frontendPath() + "/ring-ref")).isEqualTo("0");
        assertThat(node(xenstored, device.frontendPath() + "/type")).isEqualTo("xenconsoled");

        toolstack.destroy("console");

        assertThat(xenstored.directory(XenbusDevice.backendTypePath(0, ConsoleDevice.TYPE))).isEmpty();
        assertThat(node(xenstored, device.frontendPath() + "/state")).isNull();
    }

    @Test
    void aDomainsCooperationPolicyRunsInItsGuestAndOneTheGuestDoesNotKnowIsRefusedBeforeTheDomainIsBuilt() throws Exception
    {
        final int domid = toolstack.create(idle("coop", 16).withCoopPolicy("memory-cooperative", List.of("period_ms=100"))).domid();
        final Path console = runDir.resolve("console").resolve("dom" + domid + ".log");

        await(() -> consoleText(console).contains("cooperation: policy memory-cooperative period_ms=100, every 100 ms"));
        assertThatThrownBy(() -> toolstack.create(idle("greedy", 16).withCoopPolicy("greedy", List.of())))
            .isInstanceOfSatisfying(HostControlException.class, ex -> assertThat(ex.errno()).isEqualTo(Errno.EINVAL))
            .hasMessageContaining("coop_policy: unknown cooperation policy 'greedy'");
        assertThat(toolstack.list()).extracting(DomainInfo::name).containsExactly("coop");
    }

    private static String consoleText(final Path console)
    {
        try
        {
            return Files.exists(console) ? Files.readString(console) : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    @Test
    void aDiskInTheConfigIsCreatedAttachedConnectedSharedOnlyReadOnlyAndReleasedAtDestroy() throws Exception
    {
        final Path image = root.resolve("disk.img");
        final int domid = toolstack.create(DomainConfig.parse("name = \"disky\"\nmemory = 16\nworkload = \"idle\"\n" +
            "isolation = \"in-process\"\ndisk = [ 'file:" + image + ",xvda,w,size=8M' ]\n", "disky.cfg")).domid();
        final Xenstored xenstored = toolstack.hypervisor().xenstored();
        final XenbusDevice device = BlkifDevice.of(domid, VirtualDevice.parse("xvda").orElseThrow());

        await(() -> "4".equals(node(xenstored, device.frontendPath() + "/state")) &&
            "4".equals(node(xenstored, device.backendPath() + "/state")));
        assertThat(Files.size(image)).as("created sparse at size=").isEqualTo(8L << 20);
        assertThat(node(xenstored, device.backendPath() + "/params")).isEqualTo(image.toString());
        assertThat(node(xenstored, device.backendPath() + "/sectors")).isEqualTo("16384");
        assertThat(node(xenstored, device.frontendPath() + "/virtual-device")).isEqualTo("51712");
        assertThat(registry.find("coop.block.requests").tag("vdev", "xvda").meters()).isNotEmpty();
        assertThatThrownBy(() -> toolstack.create(DomainConfig.parse("name = \"other\"\nmemory = 16\nworkload = \"idle\"\n" +
            "isolation = \"in-process\"\ndisk = [ '" + image + ",xvdb,r' ]\n", "other.cfg")))
            .isInstanceOf(HostControlException.class).hasMessageContaining("disk xvdb of other").hasMessageContaining("writable");
        assertThatThrownBy(() -> toolstack.create(DomainConfig.parse("name = \"missing\"\nmemory = 16\nworkload = \"idle\"\n" +
            "isolation = \"in-process\"\ndisk = [ '" + root.resolve("none.img") + ",xvda,w' ]\n", "missing.cfg")))
            .isInstanceOf(HostControlException.class).hasMessageContaining("does not exist").hasMessageContaining("size=");
        assertThat(toolstack.hypervisor().domain("missing")).as("a refused domain is not left behind").isEmpty();

        toolstack.destroy("disky");

        assertThat(xenstored.directory(XenbusDevice.backendTypePath(0, BlkifDevice.TYPE))).isEmpty();
        assertThat(node(xenstored, device.frontendPath() + "/state")).isNull();
        assertThat(registry.find("coop.block.requests").tag("vdev", "xvda").meters()).as("metrics go with the disk").isEmpty();
        await(() -> toolstack.hypervisor().domains().isEmpty());
    }

    @Test
    void theSwapDiskOfTheConfigIsNamedToTheGuestWhichSwapsOnIt() throws Exception
    {
        final Path image = root.resolve("swap.img");
        final int domid = toolstack.create(DomainConfig.parse("name = \"swappy\"\nmemory = 16\nworkload = \"idle\"\n" +
            "isolation = \"in-process\"\ndisk = [ 'file:" + image + ",xvdb,w,size=4M' ]\nswap = \"xvdb\"\n", "swappy.cfg")).domid();
        final Path console = runDir.resolve("console").resolve("dom" + domid + ".log");

        assertThat(node(toolstack.hypervisor().xenstored(), "/local/domain/" + domid + "/swap/device")).isEqualTo("xvdb");
        await(() -> consoleText(console).contains("swap: on xvdb, 4096 KiB (1024 pages)"));
        toolstack.destroy("swappy");
        await(() -> toolstack.hypervisor().domains().isEmpty());
    }

    @Test
    void aVifInTheConfigIsAttachedConnectedWithItsRateAndReleasedAtDestroy() throws Exception
    {
        final int domid = toolstack.create(DomainConfig.parse("name = \"netty\"\nmemory = 16\nworkload = \"idle\"\n" +
            "isolation = \"in-process\"\nvif = [ 'mac=00:16:3e:00:00:2a,rate=10Mb/s@20ms,rate_packets=1000', 'bridge=xenbr0' ]\n",
            "netty.cfg")).domid();
        final Xenstored xenstored = toolstack.hypervisor().xenstored();
        final XenbusDevice first = NetifDevice.of(domid, 0);
        final XenbusDevice second = NetifDevice.of(domid, 1);

        await(() -> "4".equals(node(xenstored, first.frontendPath() + "/state")) &&
            "4".equals(node(xenstored, first.backendPath() + "/state")) &&
            "4".equals(node(xenstored, second.backendPath() + "/state")));
        assertThat(node(xenstored, first.frontendPath() + "/mac")).isEqualTo("00:16:3e:00:00:2a");
        assertThat(node(xenstored, first.backendPath() + "/rate")).isEqualTo("25000,20000");
        assertThat(node(xenstored, first.backendPath() + "/rate-packets")).isEqualTo("1000");
        assertThat(node(xenstored, second.frontendPath() + "/mac")).as("Xen's generated address")
            .isEqualTo(MacAddress.generated(domid, 1).toString());
        assertThat(registry.find("coop.net.frames").tags("domid", Integer.toString(domid), "vif", "1").meters())
            .as("the metrics endpoint sees each vif's counters").hasSize(2);
        assertThatThrownBy(() -> toolstack.create(DomainConfig.parse("name = \"twin\"\nmemory = 16\nworkload = \"idle\"\n" +
            "isolation = \"in-process\"\nvif = [ 'mac=00:16:3e:00:00:2a' ]\n", "twin.cfg")))
            .isInstanceOfSatisfying(HostControlException.class, ex -> assertThat(ex.errno()).isEqualTo(Errno.EBUSY))
            .hasMessageContaining("vif 0 of twin: mac 00:16:3e:00:00:2a is on vif 0 of netty");
        assertThat(toolstack.hypervisor().domain("twin")).as("a refused domain is not left behind").isEmpty();

        toolstack.destroy("netty");

        assertThat(xenstored.directory(XenbusDevice.backendTypePath(0, NetifDevice.TYPE))).isEmpty();
        assertThat(registry.find("coop.net.frames").tag("domid", Integer.toString(domid)).meters()).as("metrics go with the vif").isEmpty();
        assertThat(node(xenstored, first.frontendPath() + "/state")).isNull();
        await(() -> toolstack.hypervisor().domains().isEmpty());
    }

    private static String node(final Xenstored xenstored, final String path)
    {
        return xenstored.read(path).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void thePoolIsNeverOverCommitted()
    {
        toolstack.create(idle("big", 200));

        assertThatThrownBy(() -> toolstack.create(idle("too-big", 100)))
            .isInstanceOfSatisfying(HostControlException.class, ex -> assertThat(ex.errno()).isEqualTo(Errno.ENOMEM))
            .hasMessageContaining("host pool short: too-big needs 100 MiB, 56 MiB of 256 MiB free");
        assertThat(toolstack.list()).extracting(DomainInfo::name).containsExactly("big");
        final DomainInfo big = toolstack.info("big");
        assertThat(big.memoryKib()).isEqualTo(200 * 1024);
        assertThat(big.residentBytes()).as("measured: far less than its 200 MiB until the guest uses them")
            .isPositive().isLessThan(200L * 1024 * 1024);
        assertThat(toolstack.hostInfo().freeMib()).as("the hypervisor's pool").isEqualTo(56);
    }

    @Test
    void guestsThatWorkMoveTheMetrics() throws Exception
    {
        toolstack.create(pingpong("pong"));
        toolstack.create(pingpong("ping"));
        await(() -> toolstack.list().isEmpty());

        assertThat(registry.find("coop.hypercalls").counters()).isNotEmpty()
            .allSatisfy(counter -> assertThat(counter.getId().getTag("op")).isNotBlank());
        assertThat(registry.get("coop.hypercalls").tag("op", "event_channel_op").tag("result", "ok").counter().count())
            .isGreaterThanOrEqualTo(2000);
        assertThat(registry.get("coop.hypercall.latency").tag("op", "event_channel_op").timer().count()).isGreaterThanOrEqualTo(2000);
        assertThat(registry.get("coop.events.sent").functionCounter().count()).isGreaterThanOrEqualTo(2000);
        assertThat(registry.get("coop.events.delivered").functionCounter().count()).isGreaterThanOrEqualTo(2000);
        assertThat(registry.get("coop.grants.mapped").functionCounter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("coop.domains").tag("state", "running").gauge().value()).isZero();
    }

    @Test
    void aDomainNameIsTakenOnlyOnceAndUnknownDomainsAreNamed()
    {
        toolstack.create(idle("one", 16));

        assertThatThrownBy(() -> toolstack.create(idle("one", 16))).hasMessageContaining("a domain named one exists");
        assertThatThrownBy(() -> toolstack.destroy("nope")).isInstanceOfSatisfying(HostControlException.class,
            ex -> assertThat(ex.errno()).isEqualTo(Errno.ENOENT)).hasMessageContaining("no domain nope");
        assertThatThrownBy(() -> toolstack.unpause("one")).hasMessageContaining("cannot unpause one: it is running");
    }

    private void cycle(final int i)
    {
        final DomainInfo created = toolstack.create(idle("cycle-" + i, 16));
        toolstack.destroy(Integer.toString(created.domid()));
    }

    private static DomainConfig idle(final String name, final int memoryMib)
    {
        return DomainConfig.parse("name = \"" + name + "\"\nmemory = " + memoryMib +
            "\nworkload = \"idle\"\nisolation = \"in-process\"\n", name + ".cfg");
    }

    private static DomainConfig pingpong(final String role)
    {
        return DomainConfig.parse("name = \"" + role + "\"\nmemory = 16\nworkload = \"pingpong\"\nisolation = \"in-process\"\n" +
            "workload_args = [ \"role=" + role + "\", \"channel=metrics\", \"messages=2000\" ]\n", role + ".cfg");
    }

    private static long mappings() throws IOException
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.count();
        }
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException
    {
        final long endNs = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean())
        {
            assertThat(System.nanoTime() - endNs).as("condition not met within %s", DEADLINE).isNegative();
            Thread.sleep(50);
        }
    }
}
