package org.coopvm.guest.mem;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.mem.Pages;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuestMemoryTest
{
    private static final int PAGE = Pages.PAGE_SIZE;

    @Test
    void byteRangeSpanningSeveralBlocksReadsBackWhatWasWrittenAndIsBoundsChecked()
    {
        final UnsafeBuffer raw = memory(64);
        final GuestMemory memory = new GuestMemory(raw, 64, 64);
        final List<Allocation> singles = new ArrayList<>();
        for (int i = 0; i < 64; i++)
        {
            singles.add(allocated(memory.allocatePages(1)));
        }
        for (int i = 0; i < 64; i += 2)
        {
            memory.free(singles.get(i));
        }
        final long length = 3 * PAGE + 100;

        final Allocation range = allocated(memory.allocate(length));

        assertThat(range.length()).isEqualTo(length);
        assertThat(range.pages()).isEqualTo(4);
        assertThat(range.blocks()).as("memory is fragmented into single frames").isEqualTo(4);
        final byte[] pattern = new byte[(int)length];
        for (int i = 0; i < pattern.length; i++)
        {
            pattern[i] = (byte)(i * 31 + 7);
        }
        range.putBytes(0, pattern, 0, pattern.length);
        final byte[] back = new byte[pattern.length];
        range.getBytes(0, back, 0, back.length);
        assertThat(back).isEqualTo(pattern);
        assertThat(raw.getByte(range.frame(2) * PAGE + 5)).as("page 2 lives in its own frame")
            .isEqualTo(pattern[2 * PAGE + 5]);

        range.putLong(PAGE - 3, 0x1122334455667788L);
        assertThat(range.getLong(PAGE - 3)).as("a long across two blocks").isEqualTo(0x1122334455667788L);
        assertThat(raw.getByte(range.frame(0) * PAGE + PAGE - 3)).as("little-endian").isEqualTo((byte)0x88);
        assertThat(raw.getByte(range.frame(1) * PAGE)).isEqualTo((byte)0x55);
        range.putInt(2 * PAGE - 2, 0xCAFEBABE);
        assertThat(range.getInt(2 * PAGE - 2)).isEqualTo(0xCAFEBABE);

        assertThatThrownBy(() -> range.getByte(length)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> range.putLong(length - 7, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> range.getBytes(-1, back, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        memory.free(range);
        assertThatThrownBy(() -> range.getByte(0)).as("use after free").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void allocationsAreZeroedAndContiguousWhenMemoryIsNot()
    {
        final UnsafeBuffer raw = memory(16);
        raw.setMemory(0, raw.capacity(), (byte)0x5A);
        final GuestMemory memory = new GuestMemory(raw, 16, 16);

        final Allocation allocation = allocated(memory.allocate(16L * PAGE));

        assertThat(allocation.blocks()).isEqualTo(1);
        for (long offset = 0; offset < allocation.length(); offset += 8)
        {
            assertThat(allocation.getLong(offset)).isZero();
        }
    }

    @Test
    void outOfMemoryIsAResultAndTakesNothing()
    {
        final GuestMemory memory = new GuestMemory(memory(8), 8, 8);
        final Allocation held = allocated(memory.allocatePages(5));

        final AllocationResult result = memory.allocatePages(4);

        assertThat(result).isEqualTo(new AllocationResult.OutOfMemory(4, 3));
        assertThat(result.toOptional()).isEmpty();
        assertThat(memory.freeFrames()).isEqualTo(3);
        assertThat(memory.allocate(100L * PAGE)).isInstanceOf(AllocationResult.OutOfMemory.class);
        assertThat(memory.stats().outOfMemory()).isEqualTo(2);
        memory.free(held);
        assertThat(memory.allocatePages(8)).isInstanceOf(AllocationResult.Allocated.class);
    }

    @Test
    void doubleFreeAndForeignHandlesAreProgrammingErrors()
    {
        final GuestMemory memory = new GuestMemory(memory(4), 4, 4);
        final GuestMemory other = new GuestMemory(memory(4), 4, 4);
        final Allocation allocation = allocated(memory.allocatePages(1));
        final Allocation foreign = allocated(other.allocatePages(1));

        memory.free(allocation);

        assertThatThrownBy(() -> memory.free(allocation)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("double free");
        assertThatThrownBy(() -> memory.free(foreign)).isInstanceOf(IllegalArgumentException.class);
        assertThat(memory.freeFrames()).isEqualTo(4);
    }

    @Test
    void cachesShrinkBeforeOutOfMemoryAndTheStallIsCounted()
    {
        final GuestMemory memory = new GuestMemory(memory(32), 32, 32);
        final TestCache cache = new TestCache(memory);
        memory.register(cache);
        cache.fill(24);

        final AllocationResult result = memory.allocatePages(12);

        assertThat(result).isInstanceOf(AllocationResult.Allocated.class);
        assertThat(cache.entries()).as("only what was missing was dropped").isEqualTo(20);
        final MemoryStats stats = memory.stats();
        assertThat(stats.allocationStalls()).isEqualTo(1);
        assertThat(stats.reclaimedBytes()).isEqualTo(4L * PAGE);
        assertThat(stats.outOfMemory()).isZero();

        assertThat(memory.allocatePages(21)).as("more than free plus cache").isInstanceOf(AllocationResult.OutOfMemory.class);
        assertThat(cache.entries()).as("a hopeless request does not empty the cache").isEqualTo(20);
        assertThat(memory.stats().outOfMemory()).isEqualTo(1);
    }

    @Test
    void pressureListenersHearOfStallsAndOutOfMemoryButNotOfAllocationsThatFit()
    {
        final GuestMemory memory = new GuestMemory(memory(32), 32, 32);
        final TestCache cache = new TestCache(memory);
        memory.register(cache);
        cache.fill(24);
        final List<String> heard = new CopyOnWriteArrayList<>();
        final MemoryPressureListener listener = (pressure, pages) -> heard.add(pressure + " " + pages);
        memory.addPressureListener(listener);

        allocated(memory.allocatePages(8));
        assertThat(heard).as("8 pages were free").isEmpty();
        allocated(memory.allocatePages(4));
        assertThat(memory.allocatePages(21)).isInstanceOf(AllocationResult.OutOfMemory.class);

        assertThat(heard).containsExactly("ALLOCATION_STALL 4", "OUT_OF_MEMORY 21");
        assertThat(memory.removePressureListener(listener)).isTrue();
        assertThat(memory.allocatePages(21)).isInstanceOf(AllocationResult.OutOfMemory.class);
        assertThat(heard).as("a removed listener hears nothing").hasSize(2);
    }

    @Test
    void statsReportTotalFreeCacheAndAvailable()
    {
        final GuestMemory memory = new GuestMemory(memory(64), 64, 48);
        final TestCache cache = new TestCache(memory);
        memory.register(cache);
        cache.fill(10);
        allocated(memory.allocatePages(8));

        final MemoryStats stats = memory.stats();

        assertThat(stats.totalBytes()).as("online frames only").isEqualTo(48L * PAGE);
        assertThat(stats.freeBytes()).isEqualTo(30L * PAGE);
        assertThat(stats.cacheBytes()).isEqualTo(10L * PAGE);
        assertThat(stats.availableBytes()).isEqualTo(40L * PAGE);
        assertThat(stats.allocationStalls()).isZero();
        assertThat(memory.unregister(cache)).isTrue();
        assertThat(memory.stats().availableBytes()).isEqualTo(30L * PAGE);
    }

    @Test
    void balloonTakesAtMostAvailableMinusTheFloorShrinkingCachesAndNeverGetsThoseFramesBack()
    {
        final GuestMemory memory = new GuestMemory(memory(64), 64, 64);
        final TestCache cache = new TestCache(memory);
        memory.register(cache);
        cache.fill(16);
        allocated(memory.allocatePages(8));
        memory.floorPages(4);

        assertThat(memory.balloonablePages()).as("40 free + 16 cache - 4 floor").isEqualTo(52);
        final FrameRanges ballooned = memory.offline(1000);

        assertThat(ballooned.frames()).isEqualTo(52);
        assertThat(cache.entries()).as("the cache gave 12 pages to the balloon").isEqualTo(4);
        assertThat(memory.offlineFrames()).isEqualTo(52);
        assertThat(memory.balloonablePages()).isZero();
        assertThat(memory.stats().totalBytes()).isEqualTo(12L * PAGE);
        assertThat(memory.stats().availableBytes()).as("the floor holds").isEqualTo(4L * PAGE);
        final BitSet offline = frames(ballooned);
        final List<Allocation> rest = new ArrayList<>();
        for (AllocationResult next = memory.allocatePages(1); next instanceof AllocationResult.Allocated(final Allocation page);
            next = memory.allocatePages(1))
        {
            assertThat(offline.get(page.frame(0))).as("an offline frame handed out").isFalse();
            rest.add(page);
        }
        assertThat(memory.offline(1).isEmpty()).as("nothing left to take").isTrue();
    }

    @Test
    void bootFramesBeyondMemoryAreOfflineUntouchedAndComeOnlineWhenPopulated()
    {
        final UnsafeBuffer raw = memory(32);
        raw.setMemory(8 * PAGE, 24 * PAGE, (byte)0x77);
        final GuestMemory memory = new GuestMemory(raw, 32, 8);

        assertThat(allocated(memory.allocatePages(8)).pages()).isEqualTo(8);
        assertThat(memory.allocatePages(1)).isInstanceOf(AllocationResult.OutOfMemory.class);
        assertThat(raw.getByte(8 * PAGE)).as("offline frames are not zeroed").isEqualTo((byte)0x77);

        final FrameRanges candidates = memory.offlineFrames(20);
        assertThat(candidates.frames()).isEqualTo(20);
        assertThat(memory.offlineFrames()).as("peeking changes nothing").isEqualTo(24);
        memory.online(candidates.firstFrames(5));
        assertThat(memory.onlineFrames()).isEqualTo(13);
        assertThat(allocated(memory.allocatePages(5)).getLong(0)).as("zeroed on allocation").isZero();
        assertThatThrownBy(() -> memory.online(0, 1)).as("frame 0 is online").isInstanceOf(IllegalArgumentException.class);
        assertThat(memory.onlineFrames()).isEqualTo(13);
    }

    @Test
    void concurrentAllocatorsNeverShareAFrame() throws InterruptedException
    {
        final int frames = 512;
        final GuestMemory memory = new GuestMemory(memory(frames), frames, frames);
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            final long mark = 0x0101010101010101L * (t + 1);
            threads[t] = new Thread(() -> hammer(memory, mark, failures));
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join(30_000);
            assertThat(thread.isAlive()).isFalse();
        }

        assertThat(failures).isEmpty();
        assertThat(memory.freeFrames()).isEqualTo(frames);
        assertThat(memory.buddy().blocks(BuddyAllocator.FrameState.FREE)).as("fully coalesced again")
            .containsExactly(new BuddyAllocator.Block(0, 9));
    }

    @Test
    void frameRangesMergeAdjacentBlocksAndGiveAPrefix()
    {
        final BlockList blocks = new BlockList();
        blocks.add(8, 4);
        blocks.add(0, 4);
        blocks.add(4, 2);
        blocks.add(20, 1);

        final FrameRanges ranges = FrameRanges.of(blocks);

        assertThat(ranges.toString()).isEqualTo("FrameRanges[0+6, 8+4, 20+1]");
        assertThat(ranges.frames()).isEqualTo(11);
        assertThat(ranges.firstFrames(7).toString()).isEqualTo("FrameRanges[0+6, 8+1]");
    }

    /** Allocate and free random sizes, writing a mark into every page and checking it before freeing. */
    private static void hammer(final GuestMemory memory, final long mark, final List<Throwable> failures)
    {
        try
        {
            final Random random = new Random(mark);
            final ArrayDeque<Allocation> held = new ArrayDeque<>();
            for (int i = 0; i < 3000; i++)
            {
                if (memory.allocate(1 + random.nextInt(20 * PAGE)) instanceof AllocationResult.Allocated(final Allocation allocation))
                {
                    for (int page = 0; page < allocation.pages(); page++)
                    {
                        allocation.page(page).putLong(0, mark);
                    }
                    held.add(allocation);
                }
                if (held.size() > 4 || (!held.isEmpty() && random.nextBoolean()))
                {
                    checkAndFree(memory, held.poll(), mark);
                }
            }
            while (!held.isEmpty())
            {
                checkAndFree(memory, held.poll(), mark);
            }
        }
        catch (final Throwable ex)
        {
            failures.add(ex);
        }
    }

    private static void checkAndFree(final GuestMemory memory, final Allocation allocation, final long mark)
    {
        for (int page = 0; page < allocation.pages(); page++)
        {
            assertThat(allocation.page(page).getLong(0)).as("another thread wrote into my page").isEqualTo(mark);
        }
        memory.free(allocation);
    }

    private static BitSet frames(final FrameRanges ranges)
    {
        final BitSet frames = new BitSet();
        ranges.forEachFrame(frames::set);
        return frames;
    }

    private static Allocation allocated(final AllocationResult result)
    {
        assertThat(result).isInstanceOf(AllocationResult.Allocated.class);
        return result.toOptional().orElseThrow();
    }

    private static UnsafeBuffer memory(final int frames)
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(frames * PAGE));
    }

    /** A cache of one-page entries, dropped oldest first. */
    static final class TestCache implements ReclaimableCache
    {
        private final GuestMemory memory;
        private final ArrayDeque<Allocation> entries = new ArrayDeque<>();

        TestCache(final GuestMemory memory)
        {
            this.memory = memory;
        }

        synchronized void fill(final int pages)
        {
            for (int i = 0; i < pages; i++)
            {
                entries.add(allocated(memory.allocatePages(1)));
            }
        }

        synchronized int entries()
        {
            return entries.size();
        }

        @Override
        public synchronized long reclaimableBytes()
        {
            return (long)entries.size() * PAGE;
        }

        @Override
        public synchronized long shrink(final long bytes)
        {
            long freed = 0;
            while (freed < bytes && !entries.isEmpty())
            {
                memory.free(entries.poll());
                freed += PAGE;
            }
            return freed;
        }
    }
}
