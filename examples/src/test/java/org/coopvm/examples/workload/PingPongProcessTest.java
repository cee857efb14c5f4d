package org.coopvm.examples.workload;

import org.coopvm.guest.GuestMain;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.coopvm.rings.testing.ChildJvm;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two process guests ({@link GuestMain} in child JVMs) on the real hypervisor, region files in a
 * run directory on {@code /dev/shm}: the ping maps the pong's granted page from the pong's memory
 * file and they exchange checked messages, then both power off and exit 0.
 */
class PingPongProcessTest
{
    private static final int MESSAGES = 10_000;

    private final Map<Integer, StringBuffer> consoles = new ConcurrentHashMap<>();

    @Test
    void twoProcessGuestsExchangeCheckedMessagesThroughAGrantedPageAndExitZero() throws Exception
    {
        try (ShmDirectory run = new ShmDirectory())
        {
            final HypervisorConfig config = HypervisorConfig.defaults(run.path()).withConsole((domain, bytes, offset, length) ->
                consoles.computeIfAbsent(domain.domid(), d -> new StringBuffer()).append(bytes.getStringWithoutLengthUtf8(offset, length)));
            try (Hypervisor hypervisor = new Hypervisor(config))
            {
                hypervisor.start();
                final Domain pong = hypervisor.createDomain(spec("pong-b", "pong"));
                final Domain ping = hypervisor.createDomain(spec("ping-b", "ping"));
                try (ChildJvm pongGuest = guest(run, pong);
                     ChildJvm pingGuest = guest(run, ping))
                {
                    assertThat(pingGuest.awaitExit(Duration.ofSeconds(90))).as(consoleOf(ping) + pingGuest.output()).isZero();
                    assertThat(pongGuest.awaitExit(Duration.ofSeconds(30))).as(consoleOf(pong) + pongGuest.output()).isZero();
                }
                assertThat(consoleOf(ping)).contains("pingpong ping: done, " + MESSAGES + " messages, 0 checksum errors");
                assertThat(consoleOf(pong)).contains("pingpong pong: done, answered " + MESSAGES + " messages").doesNotContain("never unmapped");
                assertThat(ping.status()).isEqualTo(DomainStatus.SHUTDOWN);
                assertThat(ping.shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
                assertThat(pong.shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
                assertThat(run.path().resolve(PingPongRendezvous.DIRECTORY)).as("rendezvous entries removed")
                    .satisfies(dir -> assertThat(Files.list(dir).toList()).isEmpty());
            }
        }
    }

    private static ChildJvm guest(final ShmDirectory run, final Domain domain)
    {
        return ChildJvm.start(GuestMain.class, "--run-dir", run.path().toString(), "--domid", String.valueOf(domain.domid()));
    }

    private String consoleOf(final Domain domain)
    {
        return String.valueOf(consoles.get(domain.domid()));
    }

    private static DomainSpec spec(final String name, final String role)
    {
        return new DomainSpec(name, 1, 1024, 1024, 0, false, "pingpong",
            Map.of("role", role, "messages", String.valueOf(MESSAGES), "channel", "proc"),
            4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES);
    }
}
