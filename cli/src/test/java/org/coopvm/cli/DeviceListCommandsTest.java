package org.coopvm.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.coopvm.cli.toolstack.ToolstackFactory;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.ManagementServer;
import org.coopvm.hypervisor.api.RunDirectory;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.trace.TraceLevel;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code coop block-list} and {@code coop network-list} against a real host (the toolstack behind
 * the management API, dom0's backends, xenstored's socket) with an in-process guest that has two
 * disks and a vif: xl's columns, with the handshake's values as xenstore holds them once the
 * devices are connected; a guest without devices lists none; an unknown domain is refused by name.
 */
class DeviceListCommandsTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final ShmDirectory root = new ShmDirectory();
    private final Path runDir = root.resolve("run");
    private RunDirectory dir;
    private PrometheusMeterRegistry registry;
    private HostControl host;
    private ManagementServer server;

    @BeforeEach
    void start()
    {
        dir = new RunDirectory(runDir);
        dir.claim();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        host = new ToolstackFactory().create(new HostConfig(256, 1, runDir, 0, HostConfig.LOOPBACK, TraceLevel.LIFECYCLE), registry);
        server = ManagementServer.start(host, dir, 0, registry, () -> { });
    }

    @AfterEach
    void stop()
    {
        server.close();
        host.stop();
        registry.close();
        dir.remove();
        root.close();
    }

    @Test
    void disksAndVifsAreListedWithXlsColumnsOnceConnected()
    {
        create("io", "disk = [ 'file:" + root.resolve("a.img") + ",xvda,w,size=1M', 'file:" + root.resolve("b.img") + ",xvdb,w,size=1M' ]\n" +
            "vif = [ 'mac=00:16:3e:00:00:2a' ]\n");
        create("plain", "");
        await().atMost(DEADLINE).until(() -> coop("block-list", "io").outLines().stream().skip(1).allMatch(line -> state(line, 3) == 4) &&
            coop("block-list", "io").outLines().size() == 3);
        await().atMost(DEADLINE).until(() -> state(coop("network-list", "io").outLines().getLast(), 4) == 4);

        final CoopRun disks = coop("block-list", "io", "plain");
        assertThat(disks.exitCode()).as(disks.err()).isZero();
        assertThat(CoopRun.columns(disks.outLines().getFirst()))
            .containsExactly("Vdev", "BE", "handle", "state", "evt-ch", "ring-ref", "BE-path");
        assertThat(disks.outLines()).hasSize(3);
        final List<String> xvda = CoopRun.columns(disks.outLines().get(1));
        final List<String> xvdb = CoopRun.columns(disks.outLines().get(2));
        assertThat(xvda.getFirst()).isEqualTo("51712");
        assertThat(xvdb.getFirst()).isEqualTo("51728");
        assertThat(xvda.subList(1, 4)).containsExactly("0", "1", "4");
        assertThat(Integer.parseInt(xvda.get(4))).as("event channel").isPositive();
        assertThat(Integer.parseInt(xvda.get(5))).as("ring-ref0 of the 4-page ring").isGreaterThanOrEqualTo(2);
        assertThat(xvda.get(6)).isEqualTo("/local/domain/0/backend/vbd/1/51712");
        assertThat(xvda.get(4)).as("each disk its own port").isNotEqualTo(xvdb.get(4));

        final CoopRun vifs = coop("network-list", "1");
        assertThat(vifs.exitCode()).as(vifs.err()).isZero();
        assertThat(vifs.outLines().getFirst()).startsWith("Idx BE Mac Addr.").contains("tx-/rx-ring-ref").endsWith("BE-path");
        final List<String> vif = CoopRun.columns(vifs.outLines().get(1));
        assertThat(vif.subList(0, 5)).containsExactly("0", "0", "00:16:3e:00:00:2a", "1", "4");
        assertThat(vif.get(6)).matches("[0-9]+/[0-9]+");
        assertThat(vif.get(7)).isEqualTo("/local/domain/0/backend/vif/1/0");

        assertThat(coop("network-list", "plain").outLines()).as("a guest without vifs: the header only").hasSize(1);
    }

    @Test
    void anUnknownDomainIsRefusedByName()
    {
        final CoopRun run = coop("block-list", "nope");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("nope");
        assertThat(run.out()).isEmpty();
    }

    private static int state(final String line, final int column)
    {
        final List<String> columns = CoopRun.columns(line);
        return columns.size() > column && columns.get(column).matches("[0-9]+") ? Integer.parseInt(columns.get(column)) : -1;
    }

    private void create(final String name, final String keys)
    {
        CoopRun.createInProcess(runDir, root.path(), name, "idle", "memory = 32\n" + keys);
    }

    private CoopRun coop(final String... args)
    {
        return CoopRun.in(runDir, args);
    }
}
