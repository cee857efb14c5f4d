package org.coopvm.guest.mem;

import org.coopvm.guest.mem.BuddyAllocator.Block;
import org.coopvm.guest.mem.BuddyAllocator.FrameState;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BuddyAllocatorTest
{
    private static final int GIB_FRAMES = 262_144;

    @Test
    void oneGibHandsOutEveryFrameOnceAndCoalescesBackTo4MibBlocks()
    {
        final BuddyAllocator buddy = new BuddyAllocator(GIB_FRAMES, GIB_FRAMES);
        final BlockList pages = new BlockList();
        for (int i = 0; i < GIB_FRAMES; i++)
        {
            assertThat(buddy.allocate(1, pages)).isTrue();
        }
        assertThat(buddy.allocate(1, new BlockList())).as("all taken").isFalse();
        final BitSet seen = new BitSet(GIB_FRAMES);
        for (int i = 0; i < pages.size(); i++)
        {
            seen.set(pages.first(i));
        }
        assertThat(seen.cardinality()).as("each frame once").isEqualTo(GIB_FRAMES);

        final int[] order = shuffled(GIB_FRAMES, new Random(7));
        for (final int i : order)
        {
            buddy.free(pages.first(i), 1);
        }

        assertThat(buddy.freeFrames()).isEqualTo(GIB_FRAMES);
        assertThat(buddy.blocks(FrameState.FREE)).hasSize(GIB_FRAMES >> BuddyAllocator.MAX_ORDER)
            .allMatch(block -> block.order() == BuddyAllocator.MAX_ORDER);
    }

    @Test
    void oneGibAllocationComesIn4MibBlocks()
    {
        final BuddyAllocator buddy = new BuddyAllocator(GIB_FRAMES, GIB_FRAMES);
        final BlockList blocks = new BlockList();

        assertThat(buddy.allocate(GIB_FRAMES, blocks)).isTrue();

        assertThat(blocks.size()).isEqualTo(256);
        assertThat(buddy.freeFrames()).isZero();
    }

    @Test
    void takesTheSmallestBlockThatFitsAndSplitsIt()
    {
        final BuddyAllocator buddy = new BuddyAllocator(8, 8);
        final BlockList out = new BlockList();

        buddy.allocate(3, out);

        assertThat(out.size()).isEqualTo(2);
        assertThat(out.length(0)).as("2 then 1: the largest power of two first").isEqualTo(2);
        assertThat(out.length(1)).isEqualTo(1);
        assertThat(buddy.blocks(FrameState.FREE)).containsExactlyInAnyOrder(new Block(3, 0), new Block(4, 2));
    }

    @Test
    void bootStateHasPopulatedFramesOnlineAndTheRestOffline()
    {
        final BuddyAllocator buddy = new BuddyAllocator(3000, 1000);

        assertThat(buddy.freeFrames()).isEqualTo(1000);
        assertThat(buddy.offlineFrames()).isEqualTo(2000);
        assertThat(buddy.stateOf(999)).isEqualTo(FrameState.FREE);
        assertThat(buddy.stateOf(1000)).isEqualTo(FrameState.OFFLINE);
        assertThat(buddy.blocks(FrameState.OFFLINE)).contains(new Block(1024, 10), new Block(2048, 9));
    }

    @Test
    void balloonTakesLargeBlocksFirstAndOnlineSplitsOfflineBlocks()
    {
        final BuddyAllocator buddy = new BuddyAllocator(4096, 4096);
        buddy.allocate(1, new BlockList());
        final BlockList taken = new BlockList();

        assertThat(buddy.offline(1536, taken)).isEqualTo(1536);

        assertThat(taken.length(0)).as("a 4 MiB block first").isEqualTo(1024);
        assertThat(taken.length(1)).isEqualTo(512);
        final int first = taken.first(0);
        buddy.online(first + 100, 10);
        assertThat(buddy.stateOf(first + 100)).isEqualTo(FrameState.FREE);
        assertThat(buddy.stateOf(first + 99)).isEqualTo(FrameState.OFFLINE);
        assertThat(buddy.stateOf(first + 110)).isEqualTo(FrameState.OFFLINE);
        assertThat(buddy.offlineFrames()).isEqualTo(1526);
    }

    private static int[] shuffled(final int n, final Random random)
    {
        final int[] values = new int[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = i;
        }
        for (int i = n - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return values;
    }
}
