package org.coopvm.rings.doorbell;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DoorbellTest
{
    private static final int WORK_OFFSET = DoorbellDescriptor.DOORBELL_LENGTH;
    private static final int CONSUMED_OFFSET = WORK_OFFSET + 64;

    private final SharedRegion region = SharedRegion.createAnonymous(RegionType.DOORBELL, 0, 4096);
    private final AtomicBuffer memory = region.payloadBuffer();
    private final Doorbell doorbell = new Doorbell().wrap(memory, 0);
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws InterruptedException
    {
        doorbell.wake();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        region.close();
    }

    @Test
    void wakeIfSleepingWakesAThreadAsleepOnTheDoorbell() throws Exception
    {
        final Future<Boolean> sleeper = executor.submit(() ->
        {
            final int key = doorbell.prepareToSleep();
            return memory.getLongVolatile(WORK_OFFSET) == 0 && doorbell.sleep(key, TimeUnit.SECONDS.toNanos(30));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> doorbell.sleepers() == 1);

        memory.putLongRelease(WORK_OFFSET, 1);
        assertThat(doorbell.wakeIfSleeping()).isTrue();

        assertThat(sleeper.get(10, TimeUnit.SECONDS)).as("sleep ended by the wake").isTrue();
        assertThat(doorbell.sleepers()).isZero();
    }

    @Test
    void producerPaysNoWakeWhenNobodySleeps()
    {
        assertThat(doorbell.wakeIfSleeping()).isFalse();
        assertThat(doorbell.wakes()).isZero();

        final int key = doorbell.prepareToSleep();
        assertThat(doorbell.wakeIfSleeping()).isTrue();
        assertThat(doorbell.wakes()).isOne();
        assertThat(doorbell.sequence()).isNotEqualTo(key);
        doorbell.cancelSleep();
        assertThat(doorbell.sleepers()).isZero();
    }

    @Test
    void sleepReturnsAtOnceWhenAWakeCameBetweenPrepareAndSleep()
    {
        final int key = doorbell.prepareToSleep();
        doorbell.wakeIfSleeping();

        final long startNs = System.nanoTime();
        doorbell.sleep(key, TimeUnit.SECONDS.toNanos(30));
        assertThat(System.nanoTime() - startNs).isLessThan(TimeUnit.SECONDS.toNanos(10));
    }

    /**
     * Ping-pong where the consumer sleeps whenever it finds no work. Checked against a mutant:
     * without the full fence in {@link Doorbell#wakeIfSleeping()} this test reports lost wake-ups.
     */
    @Test
    void noWakeUpIsLostOverAHundredThousandHandoffs() throws Exception
    {
        final int handoffs = 100_000;
        final long lostWakeUpNs = TimeUnit.SECONDS.toNanos(1);
        final CompletableFuture<long[]> consumer = CompletableFuture.supplyAsync(() -> consume(handoffs, lostWakeUpNs), executor);
        final Future<?> producer = executor.submit(() -> produce(handoffs));

        final long[] sleepsAndStalls = consumer.get(90, TimeUnit.SECONDS);
        producer.get(10, TimeUnit.SECONDS);
        assertThat(sleepsAndStalls[1]).as("sleeps that outlasted %d ns with work waiting (lost wake-ups)", lostWakeUpNs).isZero();
        assertThat(sleepsAndStalls[0]).as("futex sleeps taken").isPositive();
        assertThat(doorbell.wakes()).as("wakes paid").isLessThanOrEqualTo(handoffs);
    }

    private void produce(final int handoffs)
    {
        for (long i = 1; i <= handoffs; i++)
        {
            memory.putLongRelease(WORK_OFFSET, i);
            doorbell.wakeIfSleeping();
            while (memory.getLongVolatile(CONSUMED_OFFSET) < i)
            {
                if (Thread.currentThread().isInterrupted())
                {
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }

    /** @return {sleeps taken, sleeps that ended by timeout with work waiting}. */
    private long[] consume(final int handoffs, final long sleepNs)
    {
        long consumed = 0;
        long sleeps = 0;
        long stalls = 0;
        while (consumed < handoffs)
        {
            if (memory.getLongVolatile(WORK_OFFSET) > consumed)
            {
                memory.putLongRelease(CONSUMED_OFFSET, ++consumed);
                continue;
            }
            final int key = doorbell.prepareToSleep();
            if (memory.getLongVolatile(WORK_OFFSET) > consumed)
            {
                doorbell.cancelSleep();
                continue;
            }
            final long startNs = System.nanoTime();
            doorbell.sleep(key, sleepNs);
            sleeps++;
            if (System.nanoTime() - startNs >= sleepNs && memory.getLongVolatile(WORK_OFFSET) > consumed)
            {
                stalls++;
            }
        }
        return new long[] {sleeps, stalls};
    }
}
