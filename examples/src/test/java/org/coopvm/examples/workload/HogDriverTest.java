package org.coopvm.examples.workload;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.rings.mem.Pages;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hog's driver on a real {@link GuestMemory}: it follows its target in bounded steps, gives
 * memory back when the target falls, counts running out of memory and keeps going, and notices
 * pages whose content changed under it.
 */
class HogDriverTest
{
    private static final int PAGE = Pages.PAGE_SIZE;

    @Test
    void followsTheTargetInBoundedStepsUpAndDown()
    {
        final GuestMemory memory = memory(16 * HogDriver.CHUNK_PAGES);
        final HogDriver driver = new HogDriver(memory, 4, 64);

        assertThat(driver.follow(10)).isTrue();
        assertThat(driver.heldMib()).isEqualTo(4);
        driver.follow(10);
        driver.follow(10);
        assertThat(driver.heldMib()).isEqualTo(10);
        assertThat(memory.freeFrames()).isEqualTo(6 * HogDriver.CHUNK_PAGES);

        driver.follow(3);
        assertThat(driver.heldMib()).as("at most 4 MiB per step down too").isEqualTo(6);
        driver.follow(3);
        assertThat(driver.heldMib()).isEqualTo(3);
        assertThat(memory.freeFrames()).as("freed memory is back in the guest").isEqualTo(13 * HogDriver.CHUNK_PAGES);
        assertThat(driver.oomEvents()).isZero();

        driver.follow(0);
        assertThat(driver.heldMib()).isZero();
        assertThat(memory.freeFrames()).isEqualTo(16 * HogDriver.CHUNK_PAGES);
    }

    @Test
    void outOfMemoryIsCountedOncePerStepAndTheHogKeepsWhatItHoldsAndGoesOn()
    {
        final GuestMemory memory = memory(6 * HogDriver.CHUNK_PAGES);
        final HogDriver driver = new HogDriver(memory, 64, 0);

        assertThat(driver.follow(20)).isFalse();
        assertThat(driver.heldMib()).isEqualTo(6);
        assertThat(driver.oomEvents()).isEqualTo(1);
        assertThat(driver.follow(20)).isFalse();
        assertThat(driver.oomEvents()).isEqualTo(2);
        assertThat(memory.stats().outOfMemory()).isEqualTo(2);

        assertThat(driver.follow(2)).isTrue();
        assertThat(driver.heldMib()).isEqualTo(2);
        assertThat(driver.follow(5)).as("memory came back: it grows again").isTrue();
        assertThat(driver.heldMib()).isEqualTo(5);
        assertThat(driver.oomEvents()).isEqualTo(2);
    }

    @Test
    void everyHeldPageIsWrittenAndTouchingFindsPagesThatChangedUnderTheHog()
    {
        final UnsafeBuffer raw = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * HogDriver.CHUNK_PAGES * PAGE));
        final GuestMemory memory = new GuestMemory(raw, 2 * HogDriver.CHUNK_PAGES, 2 * HogDriver.CHUNK_PAGES);
        final HogDriver driver = new HogDriver(memory, 1, HogDriver.CHUNK_PAGES);
        driver.follow(1);
        int written = 0;
        for (int frame = 0; frame < 2 * HogDriver.CHUNK_PAGES; frame++)
        {
            written += raw.getLong(frame * PAGE) != 0 ? 1 : 0;
        }
        assertThat(written).as("each page of the chunk carries a stamp").isEqualTo(HogDriver.CHUNK_PAGES);
        driver.touch();
        assertThat(driver.touchErrors()).isZero();

        raw.setMemory(0, raw.capacity(), (byte)0);
        driver.touch();
        assertThat(driver.touchErrors()).isEqualTo(HogDriver.CHUNK_PAGES);
        driver.touch();
        assertThat(driver.touchErrors()).as("the stamps were rewritten").isEqualTo(HogDriver.CHUNK_PAGES);
    }

    @Test
    void demandIsCoveredInWholeMegabytes()
    {
        assertThat(HogDriver.chunksFor(0)).isZero();
        assertThat(HogDriver.chunksFor(10)).isEqualTo(10);
        assertThat(HogDriver.chunksFor(10.2)).isEqualTo(11);
        assertThat(HogDriver.chunksFor(10.0000000001)).as("float noise does not add a chunk").isEqualTo(10);
    }

    private static GuestMemory memory(final int pages)
    {
        return new GuestMemory(new UnsafeBuffer(ByteBuffer.allocateDirect(pages * PAGE)), pages, pages);
    }
}
