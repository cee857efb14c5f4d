package org.coopvm.guest.stats;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.rings.balloon.BalloonStatsSample;
import org.coopvm.rings.mem.Pages;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request is a goal: the stats publish what is still missing, with its sign, until the guest's
 * total gets there, so the host never grants the same request twice; goals stay within 0..maxmem.
 */
class MemoryRequestTest
{
    private final MemoryRequest request = new MemoryRequest(100_000);

    @Test
    void anAskIsPublishedUntilTheTotalReachesItsGoalThenReadsZero()
    {
        request.set(20_000, 60_000);

        assertThat(request.publishKib(60_000)).isEqualTo(20_000);
        assertThat(request.publishKib(70_000)).as("half granted: half still missing").isEqualTo(10_000);
        assertThat(request.publishKib(80_000)).as("reached").isZero();
        assertThat(request.publishKib(60_000)).as("done: the host taking memory back does not revive it").isZero();
    }

    @Test
    void withinAPageOfItsGoalARequestIsDoneAsTheHostRoundsTargetsToPages()
    {
        request.set(4_870, 24_576);

        assertThat(request.publishKib(29_444)).as("the host's target was 29,444: 2 KiB short of the goal").isZero();
    }

    @Test
    void anOfferIsPublishedNegativeUntilTheTotalFellToItsGoal()
    {
        request.set(-15_000, 60_000);

        assertThat(request.outstandingKib(60_000)).isEqualTo(-15_000);
        assertThat(request.publishKib(50_000)).isEqualTo(-5_000);
        assertThat(request.publishKib(44_000)).isZero();
    }

    @Test
    void goalsStayBetweenNothingAndMaxmemSoTheHostAlwaysAcceptsTheStats()
    {
        request.set(Long.MAX_VALUE, 60_000);
        assertThat(request.publishKib(60_000)).isEqualTo(40_000);

        request.set(Long.MIN_VALUE, 60_000);
        assertThat(request.publishKib(60_000)).isEqualTo(-60_000);
    }

    @Test
    void aNewRequestReplacesTheOldAndZeroWithdrawsIt()
    {
        request.set(20_000, 60_000);
        request.set(-10_000, 60_000);
        assertThat(request.outstandingKib(60_000)).isEqualTo(-10_000);

        request.set(0, 60_000);
        assertThat(request.publishKib(60_000)).isZero();
    }

    @Test
    void theKernelsStatsSourcePublishesTheRequestBesideTheTotal()
    {
        final int frames = 256;
        final GuestMemory memory = new GuestMemory(new UnsafeBuffer(ByteBuffer.allocateDirect(frames * Pages.PAGE_SIZE)), frames, frames);
        final MemoryRequest kernelRequest = new MemoryRequest(frames * 4L);
        final GuestMemoryStatsSource source = new GuestMemoryStatsSource(memory, kernelRequest);
        memory.offline(128);
        kernelRequest.set(256, 512);

        final BalloonStatsSample sample = new BalloonStatsSample();
        source.sample(sample.clear());

        assertThat(sample.requestKib()).isEqualTo(256);
    }
}
