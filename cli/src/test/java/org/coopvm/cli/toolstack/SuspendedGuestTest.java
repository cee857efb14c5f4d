package org.coopvm.cli.toolstack;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.DomainState;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.trace.TraceLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process guest that never gives its CPU slot back is suspended by the CPU scheduler with
 * {@code SIGSTOP} for the penalty (1 s, as long as the heartbeat timeout): the toolstack's guest
 * watch must not take the silence of a guest the host stopped for death. One slot, the default
 * enforcement, an in-process {@code cpu-burn} next to it wanting the slot.
 */
class SuspendedGuestTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Path root;
    private SimpleMeterRegistry registry;
    private Toolstack toolstack;

    @BeforeEach
    void start() throws IOException
    {
        root = Files.createTempDirectory(Path.of("/dev/shm"), "coop-suspended-");
        registry = new SimpleMeterRegistry();
        toolstack = (Toolstack)new ToolstackFactory().create(
            new HostConfig(256, 1, Files.createDirectory(root.resolve("run")), 0, HostConfig.LOOPBACK, TraceLevel.LIFECYCLE), registry);
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
    void aProcessGuestStoppedForItsOverrunsIsNotTakenForDead()
    {
        toolstack.create(DomainConfig.parse("name = \"burner\"\nmemory = 16\nworkload = \"cpu-burn\"\nisolation = \"in-process\"\n",
            "burner.cfg"));
        final int hog = toolstack.create(DomainConfig.parse("name = \"hog\"\nmemory = 16\nworkload = \"never-yields\"\n",
            "hog.cfg")).domid();
        final CpuScheduler cpu = toolstack.hypervisor().cpuScheduler();

        await().atMost(DEADLINE).until(() -> cpu.suspensions(hog) >= 2 || toolstack.list().stream().noneMatch(d -> d.domid() == hog));

        assertThat(toolstack.list()).extracting(DomainInfo::name).contains("hog");
        final DomainInfo info = toolstack.info("hog");
        assertThat(info.domid()).as("the same domain, not destroyed and restarted").isEqualTo(hog);
        assertThat(info.state()).isEqualTo(DomainState.RUNNING);
        assertThat(info.shutdownReason()).isNull();
    }
}
