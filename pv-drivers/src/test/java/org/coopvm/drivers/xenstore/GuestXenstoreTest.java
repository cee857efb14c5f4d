package org.coopvm.drivers.xenstore;

import org.coopvm.drivers.InProcessKernels;
import org.coopvm.guest.GuestKernel;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.rings.domain.StartInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every booted guest reaches xenstored over its own ring: in-process guest kernels on the real
 * hypervisor, whose xenstore ring page and port the hypervisor made at creation, set a watch at
 * boot; a dom0 write to their {@code memory/target} reaches that watch.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GuestXenstoreTest
{
    private static final long DEADLINE_S = 60;

    private final List<GuestKernel> kernels = new ArrayList<>();
    private Hypervisor hypervisor;

    @BeforeEach
    void start()
    {
        XenstoreWatchWorkload.TARGETS.clear();
        hypervisor = new Hypervisor(HypervisorConfig.defaults(null));
        hypervisor.start();
    }

    @AfterEach
    void stop()
    {
        kernels.forEach(GuestKernel::close);
        hypervisor.close();
    }

    @Test
    void aHostWriteToMemoryTargetReachesEachGuestsWatch()
    {
        final Domain one = boot("one");
        final Domain two = boot("two");

        for (final Domain domain : List.of(one, two))
        {
            assertThat(new StartInfo().wrap(domain.regions().startInfo().payloadBuffer()).xenstorePort()).isPositive();
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "1024".equals(XenstoreWatchWorkload.TARGETS.get(domain.domid())));
        }
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> hypervisor.xenstored().read("/local/domain/" + one.domid() +
            "/control/feature-poweroff").map(value -> new String(value, StandardCharsets.UTF_8)).orElse("").equals("1"));
        hypervisor.xenstored().write("/local/domain/" + one.domid() + "/memory/target", "262144".getBytes(StandardCharsets.UTF_8));
        hypervisor.xenstored().write("/local/domain/" + two.domid() + "/memory/target", "131072".getBytes(StandardCharsets.UTF_8));

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "262144".equals(XenstoreWatchWorkload.TARGETS.get(one.domid())));
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "131072".equals(XenstoreWatchWorkload.TARGETS.get(two.domid())));
    }

    @Test
    void aDestroyedGuestsRingIsReleasedAndTheNextGuestGetsItsOwn()
    {
        final Domain first = boot("first");
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> XenstoreWatchWorkload.TARGETS.containsKey(first.domid()));
        kernels.remove(0).close();
        assertThat(hypervisor.destroyDomain(first.domid())).isTrue();
        assertThat(hypervisor.xenstored().read("/local/domain/" + first.domid())).isEmpty();

        final Domain second = boot("second");
        hypervisor.xenstored().write("/local/domain/" + second.domid() + "/memory/target", "4096".getBytes(StandardCharsets.UTF_8));
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "4096".equals(XenstoreWatchWorkload.TARGETS.get(second.domid())));
    }

    private Domain boot(final String name)
    {
        final Domain domain = hypervisor.createDomain(new DomainSpec(name, 1, 1024, 1024, 0, true, "xenstore-watch-test",
            Map.of(), 4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        kernels.add(InProcessKernels.boot(hypervisor, domain));
        return domain;
    }
}
