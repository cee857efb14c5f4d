package org.coopvm.examples.workload;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.mem.AllocationResult;
import org.coopvm.guest.mem.FrameRanges;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.rings.mem.Pages;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code cache} workload's store on a real {@link GuestMemory}: LRU order, O(1) eviction at
 * scale, hit ratio against memory for a seeded stream, and shrinking (by the kernel, the balloon,
 * or concurrently) that frees exactly what it says and keeps every surviving value intact.
 */
class CacheStoreTest
{
    private static final int PAGE = Pages.PAGE_SIZE;

    @Test
    void aHitMakesAnEntryMostRecentAndAMissOnAFullCacheEvictsTheLeastRecent()
    {
        final CacheStore store = new CacheStore(memory(16), PAGE);
        assertThat(store.slotsPerSlab()).isEqualTo(16);
        for (int key = 0; key < 16; key++)
        {
            assertThat(store.request(key)).isFalse();
        }
        assertThat(store.request(0)).isTrue();
        assertThat(store.keysMostRecentFirst()).containsExactly(0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);

        assertThat(store.request(16)).as("a miss on a full cache").isFalse();

        assertThat(store.contains(1)).as("the least recently used entry went").isFalse();
        assertThat(store.contains(0)).as("the refreshed entry stayed").isTrue();
        assertThat(store.keysMostRecentFirst()).startsWith(16, 0, 15).endsWith(3, 2).hasSize(16);
        assertThat(store.figures()).isEqualTo(new CacheFigures(1, 17, 1, 16, 16L * PAGE, 0, 0, 0));
    }

    @Test
    void holdsOverOneHundredThousandEntriesAndEvictsExactlyOneLeastRecentEntryPerMissWhenFull()
    {
        final GuestMemory memory = memory(256);
        final CacheStore store = new CacheStore(memory, 8);
        final int capacity = 256 / (int)(store.slabBytes() / PAGE) * store.slotsPerSlab();
        assertThat(capacity).isGreaterThan(100_000);
        final int total = capacity + 50_000;

        for (int key = 0; key < total; key++)
        {
            store.request(key);
        }

        final CacheFigures figures = store.figures();
        assertThat(figures.entries()).isEqualTo(capacity);
        assertThat(figures.evictions()).as("one eviction per miss past capacity").isEqualTo(total - capacity);
        assertThat(store.keysMostRecentFirst()).isEqualTo(IntStream.range(0, capacity).map(i -> total - 1 - i).toArray());
        assertThat(memory.stats().outOfMemory()).as("a full cache evicts; it does not keep failing allocations").isZero();
        assertThat(memory.stats().allocationStalls()).as("its own growth never shrinks it").isZero();
    }

    @Test
    void theSameSeededStreamHitsMoreOftenWithMoreMemory()
    {
        final double small = hitRatio(512, new ZipfKeys(10_000, 0.9, 42));
        final double large = hitRatio(2048, new ZipfKeys(10_000, 0.9, 42));
        final double all = hitRatio(4096, new ZipfKeys(10_000, 0.9, 42));

        assertThat(hitRatio(512, new ZipfKeys(10_000, 0.9, 42))).as("deterministic").isEqualTo(small);
        assertThat(large).isGreaterThan(small + 0.1);
        assertThat(all).as("every key fits: only first requests miss").isGreaterThan(large);
        assertThat(hitRatio(1024, new HotSetKeys(10_000, 0.2, 0.9, 42))).as("4096 entries: the hot set (2000 keys) fits")
            .isGreaterThan(0.9)
            .isGreaterThan(hitRatio(256, new HotSetKeys(10_000, 0.2, 0.9, 42)) + 0.3);
    }

    @Test
    void shrinkFreesWholeSlabsReturnsExactlyWhatGuestMemoryGotBackAndKeepsTheMostRecentEntriesIntact()
    {
        final GuestMemory memory = memory(64);
        final CacheStore store = new CacheStore(memory, 3000);
        fill(store, 200);
        final int entries = (int)store.figures().entries();
        final int[] recency = store.keysMostRecentFirst();
        final long freeBefore = memory.freeFrames();

        final long freed = store.shrink(PAGE);

        assertThat(freed).as("one whole slab").isEqualTo(store.slabBytes());
        assertThat(memory.freeFrames() - freeBefore).isEqualTo(freed / PAGE);
        assertThat(store.figures().heldBytes()).isEqualTo(3 * store.slabBytes());
        assertThat(store.figures().reclaimedBytes()).isEqualTo(freed);
        final int survivors = entries - store.slotsPerSlab();
        assertThat(store.keysMostRecentFirst()).as("the least recently used entries went, the order stayed")
            .containsExactly(Arrays.copyOf(recency, survivors));
        for (final int key : store.keysMostRecentFirst())
        {
            assertThat(store.request(key)).isTrue();
        }
        assertThat(store.figures().badValues()).as("values moved out of the freed slab are intact").isZero();
    }

    @Test
    void shrinkingByMoreThanTheCacheHoldsEmptiesIt()
    {
        final GuestMemory memory = memory(64);
        final CacheStore store = new CacheStore(memory, PAGE);
        fill(store, 100);

        assertThat(store.shrink(1L << 30)).isEqualTo(64L * PAGE);

        assertThat(store.figures().entries()).isZero();
        assertThat(store.reclaimableBytes()).isZero();
        assertThat(memory.freeFrames()).isEqualTo(64);
        assertThat(store.request(7)).as("it grows again").isFalse();
        assertThat(store.request(7)).isTrue();
    }

    @Test
    void anotherAllocationAndTheBalloonTakeMemoryFromAFullCache()
    {
        final GuestMemory memory = memory(128);
        final CacheStore store = new CacheStore(memory, 1024);
        memory.register(store);
        fill(store, 1000);
        assertThat(memory.freeFrames()).isZero();
        assertThat(memory.stats().cacheBytes()).isEqualTo(128L * PAGE);

        final AllocationResult other = memory.allocatePages(20);
        final FrameRanges ballooned = memory.offline(40);

        assertThat(other).isInstanceOf(AllocationResult.Allocated.class);
        assertThat(ballooned.frames()).isEqualTo(40);
        assertThat(memory.stats().allocationStalls()).isEqualTo(1);
        assertThat(store.figures().heldBytes()).isLessThanOrEqualTo((128L - 60) * PAGE);
        assertThat(store.figures().reclaimedBytes()).isEqualTo(memory.stats().reclaimedBytes());
        fill(store, 1000);
        assertThat(store.figures().badValues()).isZero();
        assertThat(store.figures().heldBytes()).as("the cache fills what is left, no more").isEqualTo(
            (128L - 60 - memory.freeFrames()) * PAGE);
    }

    @Test
    void concurrentBalloonShrinksKeepEveryValueIntact() throws Exception
    {
        final GuestMemory memory = memory(256);
        final CacheStore store = new CacheStore(memory, 2000);
        memory.register(store);
        final AtomicBoolean stop = new AtomicBoolean();
        final CompletableFuture<Long> balloon = CompletableFuture.supplyAsync(() ->
        {
            long cycles = 0;
            while (!stop.get())
            {
                final FrameRanges taken = memory.offline(48);
                memory.online(taken);
                cycles++;
            }
            return cycles;
        });
        try
        {
            final KeyStream keys = new ZipfKeys(20_000, 0.8, 3);
            for (int i = 0; i < 300_000; i++)
            {
                store.request(keys.nextKey());
            }
        }
        finally
        {
            stop.set(true);
        }

        assertThat(balloon.get(30, TimeUnit.SECONDS)).isPositive();
        assertThat(store.figures().badValues()).isZero();
        assertThat(store.figures().reclaimedBytes()).isPositive();
        assertThat(store.figures().entries()).isLessThanOrEqualTo(store.capacity());
        assertThat(store.figures().heldBytes()).isEqualTo((long)store.capacity() / store.slotsPerSlab() * store.slabBytes());
    }

    private static double hitRatio(final int pages, final KeyStream keys)
    {
        final CacheStore store = new CacheStore(memory(pages), 1024);
        for (int i = 0; i < 200_000; i++)
        {
            store.request(keys.nextKey());
        }
        return store.figures().hitRatio();
    }

    private static void fill(final CacheStore store, final int keys)
    {
        for (int key = 0; key < keys; key++)
        {
            store.request(key);
        }
    }

    private static GuestMemory memory(final int pages)
    {
        return new GuestMemory(new UnsafeBuffer(ByteBuffer.allocateDirect(pages * PAGE)), pages, pages);
    }
}
