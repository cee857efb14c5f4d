package org.coopvm.guest.mem;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.mem.Pages;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The swap space over an in-memory device: what goes out comes back intact on access and is
 * counted, cold pages go before hot ones, caches go before swap, and without a device nothing
 * moves.
 */
class SwapSpaceTest
{
    private static GuestMemory memory(final int frames)
    {
        return new GuestMemory(new UnsafeBuffer(ByteBuffer.allocateDirect(frames * Pages.PAGE_SIZE)), frames, frames);
    }

    private static void fill(final SwappableAllocation pages, final long seed)
    {
        for (long offset = 0; offset < pages.length(); offset += Long.BYTES)
        {
            pages.putLong(offset, seed * 31 + offset);
        }
    }

    private static boolean intact(final SwappableAllocation pages, final long seed)
    {
        for (long offset = 0; offset < pages.length(); offset += Long.BYTES)
        {
            if (pages.getLong(offset) != seed * 31 + offset)
            {
                return false;
            }
        }
        return true;
    }

    @Test
    void pagesPushedOutByAnAllocationComeBackIntactOnAccessAndAreCounted()
    {
        final GuestMemory memory = memory(64);
        final MemoryDevice device = new MemoryDevice(128);
        memory.swap().enable(device);
        final SwappableAllocation data = memory.allocateSwappable(40).orElseThrow();
        fill(data, 7);

        final Allocation plain = memory.allocatePages(48).toOptional().orElseThrow();

        assertThat(memory.swap().swapOutPages()).as("what the allocation lacked went out").isGreaterThanOrEqualTo(24);
        assertThat(memory.swap().swappedPages()).isEqualTo((int)memory.swap().swapOutPages());
        assertThat(memory.stats().cacheBytes()).as("swappable memory is not cache").isZero();
        memory.free(plain);
        assertThat(intact(data, 7)).isTrue();
        assertThat(memory.swap().swapInPages()).isEqualTo(memory.swap().swapOutPages());
        assertThat(memory.swap().majorFaults()).isEqualTo(memory.swap().swapInPages());
        assertThat(memory.swap().swappedPages()).isZero();
        assertThat(memory.swap().reclaimableBytes()).as("slots are freed on swap-in").isEqualTo(40L * Pages.PAGE_SIZE);
    }

    @Test
    void theBalloonTakesSwappablePagesAndTheClockSparesRecentlyUsedOnes()
    {
        final GuestMemory memory = memory(64);
        memory.swap().enable(new MemoryDevice(128));
        final SwappableAllocation cold = memory.allocateSwappable(24).orElseThrow();
        final SwappableAllocation hot = memory.allocateSwappable(24).orElseThrow();
        fill(cold, 1);
        fill(hot, 2);
        memory.swap().shrink(Pages.PAGE_SIZE);  // one sweep clears every referenced bit
        for (int page = 0; page < hot.pages(); page++)
        {
            hot.getByte((long)page * Pages.PAGE_SIZE);
        }
        assertThat(memory.balloonablePages()).as("free plus resident swappable pages: all of it").isEqualTo(64);

        final FrameRanges taken = memory.offline(30);

        assertThat(taken.frames()).isEqualTo(30);
        for (int page = 0; page < hot.pages(); page++)
        {
            assertThat(hot.isResident(page)).as("hot page %d", page).isTrue();
        }
        assertThat(intact(cold, 1) && intact(hot, 2)).isTrue();
    }

    @Test
    void cachesShrinkBeforeAnythingIsSwappedOut()
    {
        final GuestMemory memory = memory(64);
        memory.swap().enable(new MemoryDevice(128));
        fill(memory.allocateSwappable(16).orElseThrow(), 3);
        final Allocation cached = memory.allocatePages(32).toOptional().orElseThrow();
        memory.register(new ReclaimableCache()
        {
            private boolean dropped;

            @Override
            public long reclaimableBytes()
            {
                return dropped ? 0 : cached.length();
            }

            @Override
            public long shrink(final long bytes)
            {
                dropped = true;
                memory.free(cached);
                return cached.length();
            }
        });

        assertThat(memory.allocatePages(40).toOptional()).isPresent();
        assertThat(memory.swap().swapOutPages()).isZero();
    }

    @Test
    void withoutADeviceSwappablePagesStayResidentAndAllocationsFailAsUsual()
    {
        final GuestMemory memory = memory(16);
        final SwappableAllocation data = memory.allocateSwappable(12).orElseThrow();
        fill(data, 4);

        assertThat(memory.allocatePages(8).toOptional()).isEmpty();
        assertThat(memory.allocateSwappable(8)).isEmpty();
        assertThat(memory.freeFrames()).as("a failed swappable allocation gives back what it took").isEqualTo(4);
        assertThat(memory.swap().swapOutPages()).isZero();
        assertThat(intact(data, 4)).isTrue();
        memory.free(data);
        assertThat(memory.freeFrames()).isEqualTo(16);
        assertThatThrownBy(() -> data.getByte(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> memory.free(data)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedReadIsAFaultForThatAccessAndThePageStaysOut()
    {
        final GuestMemory memory = memory(32);
        final MemoryDevice device = new MemoryDevice(64);
        memory.swap().enable(device);
        final SwappableAllocation data = memory.allocateSwappable(8).orElseThrow();
        fill(data, 5);
        memory.swap().shrink(8L * Pages.PAGE_SIZE);
        memory.swap().shrink(8L * Pages.PAGE_SIZE);
        assertThat(memory.swap().swappedPages()).isEqualTo(8);

        device.failReads = true;
        assertThatThrownBy(() -> data.getLong(0)).isInstanceOf(SwapFaultException.class);
        assertThat(memory.swap().ioErrors()).isEqualTo(1);
        device.failReads = false;
        assertThat(intact(data, 5)).isTrue();
        memory.free(data);
        assertThat(memory.swap().swappedPages()).isZero();
        assertThat(memory.freeFrames()).isEqualTo(32);
    }

    /** A swap device in heap memory. */
    private static final class MemoryDevice implements SwapStore
    {
        private final byte[][] slots;
        private volatile boolean failReads;

        MemoryDevice(final int slots)
        {
            this.slots = new byte[slots][];
        }

        @Override
        public int slots()
        {
            return slots.length;
        }

        @Override
        public int batchPages()
        {
            return 4;
        }

        @Override
        public boolean write(final int[] slotsOut, final AtomicBuffer[] pages, final int count)
        {
            for (int i = 0; i < count; i++)
            {
                slots[slotsOut[i]] = new byte[Pages.PAGE_SIZE];
                pages[i].getBytes(0, slots[slotsOut[i]]);
            }
            return true;
        }

        @Override
        public boolean read(final int slot, final AtomicBuffer page)
        {
            if (failReads)
            {
                return false;
            }
            page.putBytes(0, slots[slot]);
            return true;
        }

        @Override
        public boolean await(final BooleanSupplier condition, final long timeoutNs)
        {
            return condition.getAsBoolean();
        }
    }
}
