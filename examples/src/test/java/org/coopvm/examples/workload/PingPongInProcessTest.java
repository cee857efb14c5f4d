package org.coopvm.examples.workload;

import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelExit;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two in-process guests on the real hypervisor exchange messages through a granted page and an
 * interdomain event channel, then both power off.
 */
class PingPongInProcessTest
{
    private static final int MESSAGES = 10_000;

    private final Map<Integer, StringBuffer> consoles = new ConcurrentHashMap<>();

    @Test
    void twoInProcessGuestsExchangeTenThousandCheckedMessagesAndPowerOff() throws Exception
    {
        final HypervisorConfig config = HypervisorConfig.defaults(null).withConsole((domain, bytes, offset, length) ->
            consoles.computeIfAbsent(domain.domid(), d -> new StringBuffer()).append(bytes.getStringWithoutLengthUtf8(offset, length)));
        try (Hypervisor hypervisor = new Hypervisor(config))
        {
            hypervisor.start();
            final Domain pong = hypervisor.createDomain(spec("pong-a", "pong"));
            final Domain ping = hypervisor.createDomain(spec("ping-a", "ping"));
            try (GuestKernel pongKernel = InProcessGuests.boot(hypervisor, pong);
                 GuestKernel pingKernel = InProcessGuests.boot(hypervisor, ping))
            {
                assertThat(pingKernel.awaitTermination(Duration.ofSeconds(60))).as(consoleOf(ping)).isTrue();
                assertThat(pongKernel.awaitTermination(Duration.ofSeconds(20))).as(consoleOf(pong)).isTrue();

                assertThat(pingKernel.exit()).as(consoleOf(ping)).hasValue(KernelExit.shutdown(ShutdownReason.POWEROFF));
                assertThat(pongKernel.exit()).as(consoleOf(pong)).hasValue(KernelExit.shutdown(ShutdownReason.POWEROFF));
                assertThat(consoleOf(ping)).contains("pingpong ping: done, " + MESSAGES + " messages, 0 checksum errors")
                    .contains("round trip us: p50");
                assertThat(consoleOf(pong)).contains("pingpong pong: done, answered " + MESSAGES + " messages")
                    .doesNotContain("never unmapped");
                assertThat(ping.status()).isEqualTo(DomainStatus.SHUTDOWN);
                assertThat(ping.shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
                assertThat(pong.status()).isEqualTo(DomainStatus.SHUTDOWN);
                assertThat(pong.shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
            }
        }
    }

    private String consoleOf(final Domain domain)
    {
        return String.valueOf(consoles.get(domain.domid()));
    }

    private static DomainSpec spec(final String name, final String role)
    {
        return new DomainSpec(name, 1, 1024, 1024, 0, true, "pingpong",
            Map.of("role", role, "messages", String.valueOf(MESSAGES), "channel", "inproc-" + name.substring(name.indexOf('-') + 1)),
            4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES);
    }
}
