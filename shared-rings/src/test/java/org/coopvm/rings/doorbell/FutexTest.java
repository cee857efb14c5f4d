package org.coopvm.rings.doorbell;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class FutexTest
{
    @Test
    void waitReturnsAtOnceWhenTheWordDiffers()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.RAW, 0, 4096))
        {
            region.payloadBuffer().putIntVolatile(0, 7);
            assertThat(Futex.await(region.payload().address(), 6, -1)).isFalse();
        }
    }

    @Test
    void timedWaitGivesUp()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.RAW, 0, 4096))
        {
            final long start = System.nanoTime();
            assertThat(Futex.await(region.payload().address(), 0, 20_000_000L)).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(15_000_000L);
        }
    }

    @Test
    void wakeEndsAnotherThreadsSleep() throws Exception
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.RAW, 0, 4096))
        {
            final long word = region.payload().address();
            final CountDownLatch started = new CountDownLatch(1);
            final AtomicBoolean woken = new AtomicBoolean();
            final Thread sleeper = Thread.ofPlatform().start(() ->
            {
                started.countDown();
                while (region.payloadBuffer().getIntVolatile(0) == 0)
                {
                    Futex.await(word, 0, 5_000_000_000L);
                }
                woken.set(true);
            });
            started.await();
            region.payloadBuffer().putIntVolatile(0, 1);
            Futex.wake(word, Integer.MAX_VALUE);
            sleeper.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(woken).isTrue();
        }
    }
}
