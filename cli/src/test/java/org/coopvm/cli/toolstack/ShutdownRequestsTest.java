package org.coopvm.cli.toolstack;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.DomainState;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.api.ShutdownReason;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.trace.LifecycleEvent;
import org.coopvm.hypervisor.trace.TraceFilter;
import org.coopvm.hypervisor.trace.TraceReader;
import org.coopvm.hypervisor.trace.TraceRecord;
import org.coopvm.hypervisor.trace.TraceRecordType;
import org.coopvm.hypervisor.trace.TraceLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code coop shutdown} and {@code coop reboot} through {@code control/shutdown}, on the toolstack
 * with in-process guests: the guest clears the node, then shuts itself down with the reason asked
 * for, and the domain gets its {@code on_*} action; a guest that does not listen, did not advertise
 * the feature, or is forced is shut down by the hypervisor instead, and the shutdown's detail (the
 * trace's reason) says why; values the guest has no handler for are ignored.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShutdownRequestsTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Long enough that a test passing with it went through the guest, not the fallback. */
    private static final long PATIENT_MS = 60_000;
    private static final long SHORT_MS = 300;
    private static final String GUEST_DETAIL = "guest requested shutdown";

    /** What the hypervisor saw when each domain shut down, and what control/shutdown held then. */
    private final Map<Integer, Seen> shutdowns = new ConcurrentHashMap<>();
    private Path root;
    private SimpleMeterRegistry registry;
    private Toolstack toolstack;

    private record Seen(ShutdownReason reason, String detail, String controlShutdown)
    {
    }

    @AfterEach
    void stop() throws IOException
    {
        if (toolstack != null)
        {
            toolstack.stop();
            registry.close();
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void shutdownIsAcknowledgedByClearingTheNodeThenTheGuestPowersOffEvenWhenPaused() throws Exception
    {
        start(PATIENT_MS);
        final int domid = createIdle("web", "on_poweroff = \"preserve\"\n");
        toolstack.pause("web");

        toolstack.shutdown("web", ShutdownReason.POWEROFF, false);

        await(() -> shutdowns.containsKey(domid));
        assertThat(shutdowns.get(domid)).isEqualTo(new Seen(ShutdownReason.POWEROFF, GUEST_DETAIL, ""));
        await(() -> toolstack.info("web").state() == DomainState.SHUTDOWN);
        assertThat(toolstack.info("web").shutdownReason()).isEqualTo(ShutdownReason.POWEROFF);
        assertThatThrownBy(() -> toolstack.shutdown("web", ShutdownReason.POWEROFF, false))
            .isInstanceOfSatisfying(HostControlException.class, ex -> assertThat(ex.errno()).isEqualTo(Errno.EBUSY));
        assertThat(lifecycle(domid, LifecycleEvent.SHUTDOWN_REQUESTED)).containsExactly("control/shutdown=poweroff");
    }

    @Test
    void rebootIsAcknowledgedThenTheDomainIsCreatedAgainPerOnReboot() throws Exception
    {
        start(PATIENT_MS);
        final int domid = createIdle("web", "");

        toolstack.reboot("web");

        await(() -> toolstack.list().stream().anyMatch(info -> info.name().equals("web") && info.domid() != domid &&
            info.state() == DomainState.RUNNING));
        assertThat(shutdowns.get(domid)).isEqualTo(new Seen(ShutdownReason.REBOOT, GUEST_DETAIL, ""));
        assertThat(toolstack.list()).extracting(DomainInfo::name).containsExactly("web");
    }

    @Test
    void aGuestThatDoesNotActIsShutDownByTheHypervisorAfterTheTimeoutAndTheTraceSaysWhy() throws Exception
    {
        start(SHORT_MS);
        final int domid = create("deaf", "shutdown-deaf", "");
        await(() -> ShutdownDeafWorkload.DEAF.contains(domid));

        toolstack.shutdown("deaf", ShutdownReason.POWEROFF, false);

        await(() -> shutdowns.containsKey(domid));
        final String why = "the toolstack shut it down: the guest did not shut down within 300 ms of control/shutdown=poweroff";
        assertThat(shutdowns.get(domid)).isEqualTo(new Seen(ShutdownReason.POWEROFF, why, "poweroff"));
        await(() -> toolstack.list().isEmpty());
        assertThat(lifecycle(domid, LifecycleEvent.SHUTDOWN_REQUESTED)).containsExactly("control/shutdown=poweroff");
        assertThat(lifecycle(domid, LifecycleEvent.DOMAIN_SHUTDOWN)).containsExactly("poweroff: " + why);
    }

    @Test
    void aGuestThatDidNotAdvertiseTheFeatureOrAForcedShutdownGoesToTheHypervisorAtOnce() throws Exception
    {
        start(PATIENT_MS);
        final int silent = createIdle("silent", "on_poweroff = \"preserve\"\n");
        final int forced = createIdle("forced", "on_poweroff = \"preserve\"\n");
        toolstack.hypervisor().xenstored().write(home(silent) + "/control/feature-poweroff", new byte[0]);

        toolstack.shutdown("silent", ShutdownReason.POWEROFF, false);
        toolstack.shutdown("forced", ShutdownReason.POWEROFF, true);

        assertThat(shutdowns.get(silent)).isEqualTo(new Seen(ShutdownReason.POWEROFF,
            "the toolstack shut it down: the guest did not advertise control/feature-poweroff", ""));
        assertThat(shutdowns.get(forced)).isEqualTo(new Seen(ShutdownReason.POWEROFF, "forced by the toolstack (shutdown -F)", ""));
        assertThat(lifecycle(silent, LifecycleEvent.SHUTDOWN_REQUESTED)).isEmpty();
    }

    @Test
    void valuesTheGuestHasNoHandlerForAreIgnoredAndHaltPowersOff() throws Exception
    {
        start(PATIENT_MS);
        final int domid = createIdle("web", "on_poweroff = \"preserve\"\n");

        for (final String value : List.of("bogus", "suspend", "crash"))
        {
            write(domid, value);
            await(() -> console(domid).contains("shutdown: ignoring shutdown request: " + value));
            assertThat(read(domid, "control/shutdown")).as("not acknowledged").isEqualTo(value);
        }
        assertThat(toolstack.info("web").state()).isEqualTo(DomainState.RUNNING);

        write(domid, "halt");

        await(() -> shutdowns.containsKey(domid));
        assertThat(shutdowns.get(domid)).isEqualTo(new Seen(ShutdownReason.POWEROFF, GUEST_DETAIL, ""));
    }

    private void start(final long shutdownTimeoutMs) throws IOException
    {
        root = Files.createTempDirectory(Path.of("/dev/shm"), "coop-shutdown-");
        registry = new SimpleMeterRegistry();
        toolstack = (Toolstack)new ToolstackFactory().create(new HostConfig(256, 2, Files.createDirectory(root.resolve("run")), 0,
            HostConfig.LOOPBACK, TraceLevel.LIFECYCLE).withShutdownTimeoutMs(shutdownTimeoutMs), registry);
        toolstack.hypervisor().addLifecycleListener(new DomainLifecycleListener()
        {
            @Override
            public void onShutdown(final Domain domain)
            {
                shutdowns.put(domain.domid(), new Seen(ShutdownReason.fromCode(domain.shutdownCode()), domain.shutdownDetail(),
                    read(domain.domid(), "control/shutdown")));
            }
        });
    }

    /** Create an in-process idle guest and wait until it booted (features advertised, workload started). */
    private int createIdle(final String name, final String extra) throws InterruptedException
    {
        final int domid = create(name, "idle", extra);
        await(() -> console(domid).contains("idle: dom" + domid + " is idle"));
        return domid;
    }

    private int create(final String name, final String workload, final String extra) throws InterruptedException
    {
        final int domid = toolstack.create(DomainConfig.parse("name = \"" + name + "\"\nmemory = 16\nworkload = \"" + workload +
            "\"\nisolation = \"in-process\"\n" + extra, name + ".cfg")).domid();
        await(() -> "1".equals(read(domid, "control/feature-poweroff")) && "1".equals(read(domid, "control/feature-reboot")));
        return domid;
    }

    private void write(final int domid, final String value)
    {
        toolstack.hypervisor().xenstored().write(home(domid) + "/control/shutdown", value.getBytes(StandardCharsets.UTF_8));
    }

    private String read(final int domid, final String relative)
    {
        return toolstack.hypervisor().xenstored().read(home(domid) + "/" + relative)
            .map(value -> new String(value, StandardCharsets.UTF_8)).orElse("");
    }

    private String console(final int domid)
    {
        try
        {
            final Path log = root.resolve("run").resolve(Toolstack.CONSOLE_DIR).resolve("dom" + domid + ".log");
            return Files.exists(log) ? Files.readString(log) : "";
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /** @return the details of the domain's lifecycle records of that kind, in order. */
    private List<String> lifecycle(final int domid, final LifecycleEvent event)
    {
        try (TraceReader reader = TraceReader.openInRunDir(root.resolve("run")))
        {
            return reader.read(TraceFilter.ALL.withDomain(domid).withType(TraceRecordType.LIFECYCLE)).stream()
                .map(TraceRecord.Lifecycle.class::cast)
                .filter(record -> record.event() == event)
                .map(TraceRecord.Lifecycle::detail)
                .toList();
        }
    }

    private static String home(final int domid)
    {
        return "/local/domain/" + domid;
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException
    {
        final long endNs = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean())
        {
            assertThat(System.nanoTime() - endNs).as("condition not met within %s", DEADLINE).isNegative();
            Thread.sleep(20);
        }
    }
}
