package org.coopvm.rings.doorbell;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DoorbellIdleStrategyTest
{
    @Test
    void anIdleAgentSleepsOnTheDoorbellAndWakesWhenWorkIsRung() throws Exception
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.DOORBELL, 0, 4096))
        {
            final Doorbell doorbell = new Doorbell().wrap(region.payloadBuffer(), 0);
            final AtomicBoolean work = new AtomicBoolean();
            // sleeps far longer than the test's deadline unless the ring wakes it
            final DoorbellIdleStrategy idle = new DoorbellIdleStrategy(
                WaitConfig.DEFAULT.withLivenessCheckIntervalNs(TimeUnit.SECONDS.toNanos(60)), doorbell, work::get);
            assertThat(idle.alias()).isEqualTo("doorbell");

            final CompletableFuture<Integer> agent = CompletableFuture.supplyAsync(() ->
            {
                int idleCalls = 0;
                while (!work.get())
                {
                    idle.idle(0);
                    idleCalls++;
                }
                idle.idle(1);
                return idleCalls;
            }, runnable -> Thread.ofPlatform().start(runnable));

            await().atMost(Duration.ofSeconds(10)).until(() -> doorbell.sleepers() == 1);
            work.set(true);
            doorbell.wakeIfSleeping();

            assertThat(agent.get(10, TimeUnit.SECONDS))
                .as("idle calls: the spins and yields, then the sleep")
                .isGreaterThan(WaitConfig.DEFAULT_SPIN_ITERATIONS + WaitConfig.DEFAULT_YIELD_ITERATIONS);
        }
    }
}
