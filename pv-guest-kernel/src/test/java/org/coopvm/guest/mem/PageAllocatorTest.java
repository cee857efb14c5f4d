package org.coopvm.guest.mem;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.mem.Pages;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageAllocatorTest
{
    @Test
    void handsOutEachFrameOnceZeroedAndTakesThemBack()
    {
        final UnsafeBuffer memory = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * Pages.PAGE_SIZE));
        memory.setMemory(0, memory.capacity(), (byte)0x5A);
        final PageAllocator pages = new PageAllocator(memory, 4);
        final Set<Integer> frames = new HashSet<>();
        for (int i = 0; i < 4; i++)
        {
            frames.add(pages.allocate());
        }

        assertThat(frames).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(pages.allocate()).isEqualTo(PageAllocator.NO_FRAME);
        assertThat(pages.page(2).getLong(4088)).as("allocated pages are zeroed").isZero();
        pages.free(2);
        assertThat(pages.freeFrames()).isEqualTo(1);
        assertThat(pages.allocate()).isEqualTo(2);
        pages.free(2);
        assertThatThrownBy(() -> pages.free(2)).as("double free").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pages.page(4)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
