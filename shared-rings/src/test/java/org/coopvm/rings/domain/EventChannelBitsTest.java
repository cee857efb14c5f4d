package org.coopvm.rings.domain;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventChannelBitsTest
{
    private final SharedRegion region = SharedRegion.createAnonymous(RegionType.SHARED_INFO, 1, SharedInfoDescriptor.PAYLOAD_LENGTH);
    private final EventChannelBits host = new EventChannelBits().wrap(region.payload());
    private final EventChannelBits guest = new EventChannelBits().wrap(region.payload());

    @AfterEach
    void close()
    {
        region.close();
    }

    @Test
    void firstSetPendingRaisesTheUpcallAndAsksForAKick()
    {
        assertThat(host.setPending(70, 1)).isTrue();

        assertThat(guest.isPending(70)).isTrue();
        assertThat(guest.isUpcallPending(1)).isTrue();
        assertThat(guest.pendingSelector(1)).isEqualTo(1L << 1);
        assertThat(guest.isUpcallPending(0)).as("other vCPU untouched").isFalse();
    }

    @Test
    void anAlreadyPendingPortOrASetSelectorNeedsNoSecondKick()
    {
        assertThat(host.setPending(5, 0)).isTrue();
        assertThat(host.setPending(5, 0)).as("port already pending").isFalse();
        assertThat(host.setPending(6, 0)).as("same word: selector already set").isFalse();
        assertThat(host.setPending(64, 0)).as("new word: selector newly set").isTrue();
    }

    @Test
    void maskedPortBecomesPendingWithoutUpcallAndUnmaskRedelivers()
    {
        guest.mask(9);
        assertThat(host.setPending(9, 0)).isFalse();
        assertThat(guest.isPending(9)).isTrue();
        assertThat(guest.isUpcallPending(0)).isFalse();

        assertThat(host.unmask(9, 0)).as("unmask re-delivers the edge").isTrue();
        assertThat(guest.isUpcallPending(0)).isTrue();
        assertThat(guest.isMasked(9)).isFalse();
        final List<Integer> ports = new ArrayList<>();
        assertThat(guest.dispatch(0, ports::add)).isEqualTo(1);
        assertThat(ports).containsExactly(9);
    }

    @Test
    void unmaskOfAPortThatIsNotPendingAsksForNothing()
    {
        guest.mask(9);
        assertThat(host.unmask(9, 0)).isFalse();
        assertThat(guest.isUpcallPending(0)).isFalse();
    }

    @Test
    void dispatchClearsUpcallSelectorAndPendingBitsAndCallsHandlersInPortOrder()
    {
        host.setPending(3, 0);
        host.setPending(200, 0);
        host.setPending(4095, 0);
        final List<Integer> ports = new ArrayList<>();

        assertThat(guest.dispatch(0, ports::add)).isEqualTo(3);

        assertThat(ports).containsExactly(3, 200, 4095);
        assertThat(guest.isUpcallPending(0)).isFalse();
        assertThat(guest.pendingSelector(0)).isZero();
        assertThat(guest.isPending(3) || guest.isPending(200) || guest.isPending(4095)).isFalse();
        assertThat(guest.dispatch(0, ports::add)).as("nothing left").isZero();
    }

    @Test
    void dispatchLeavesMaskedPortsPendingForLater()
    {
        host.setPending(10, 0);
        guest.mask(11);
        host.setPending(11, 0);
        final List<Integer> ports = new ArrayList<>();

        guest.dispatch(0, ports::add);

        assertThat(ports).containsExactly(10);
        assertThat(guest.isPending(11)).isTrue();
        assertThat(host.unmask(11, 0)).isTrue();
        guest.dispatch(0, ports::add);
        assertThat(ports).containsExactly(10, 11);
    }

    @Test
    void aKickAfterDispatchTookTheSelectorIsNotLost()
    {
        host.setPending(1, 0);
        guest.dispatch(0, port -> assertThat(host.setPending(2, 0)).as("selector was swapped out: new kick").isTrue());
        final List<Integer> ports = new ArrayList<>();
        assertThat(guest.isUpcallPending(0)).isTrue();
        guest.dispatch(0, ports::add);
        assertThat(ports).containsExactly(2);
    }

    @Test
    void portsAndVcpusOutsideTheAbiAreRejected()
    {
        assertThatThrownBy(() -> host.setPending(4096, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> host.setPending(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> host.setPending(1, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentSetPendingFromTwoThreadsAgainstDispatchLosesNothing() throws Exception
    {
        final int rounds = 20_000;
        final int portsPerThread = 1000;
        final AtomicLong delivered = new AtomicLong();
        final BitSet seen = new BitSet();
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread consumer = new Thread(() ->
        {
            while (!stop.get() || guest.isUpcallPending(0))
            {
                guest.dispatch(0, port ->
                {
                    delivered.incrementAndGet();
                    seen.set(port);
                });
            }
        });
        final List<Thread> producers = new ArrayList<>();
        final AtomicLong sets = new AtomicLong();
        for (int t = 0; t < 2; t++)
        {
            final int base = 1 + t * portsPerThread;
            producers.add(new Thread(() ->
            {
                awaitQuietly(start);
                for (int i = 0; i < rounds; i++)
                {
                    final int port = base + (i % portsPerThread);
                    while (guest.isPending(port))
                    {
                        Thread.onSpinWait();
                    }
                    host.setPending(port, 0);
                    sets.incrementAndGet();
                }
            }));
        }
        consumer.start();
        producers.forEach(Thread::start);
        start.countDown();
        for (final Thread producer : producers)
        {
            producer.join(TimeUnit.SECONDS.toMillis(60));
        }
        stop.set(true);
        consumer.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(consumer.isAlive()).isFalse();
        assertThat(delivered.get()).as("every edge set while not pending is delivered exactly once").isEqualTo(sets.get());
        assertThat(seen.cardinality()).isEqualTo(2 * portsPerThread);
        assertThat(guest.pendingSelector(0)).isZero();
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
