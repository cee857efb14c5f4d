package org.coopvm.rings.xen;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class XenRingWrapAroundTest
{
    @ParameterizedTest(name = "start {0}")
    @ValueSource(ints = {0xFFFF_FFF0, 0xFFFF_FFFE, 0xFFFF_FFFF, 0x7FFF_FFFE, 0})
    void messagesAndIndicesCrossTheU32WrapInOrder(final int start)
    {
        final RingPair ring = RingPair.create(8, start);
        long seq = 0;
        for (int round = 0; round < 20; round++)
        {
            final int batch = 1 + round % 8;
            ring.claimRequests(seq, batch);
            ring.front().pushRequestsAndCheckNotify();
            assertThat(ring.back().unconsumedRequests()).isEqualTo(batch);
            ring.serveRequests(seq, batch);
            ring.back().pushResponsesAndCheckNotify();
            assertThat(ring.front().unconsumedResponses()).isEqualTo(batch);
            ring.takeResponses(seq, batch);
            assertThat(ring.front().freeRequests()).isEqualTo(8);
            seq += batch;
        }
        assertThat(ring.front().requestProducerIndex()).isEqualTo(start + (int)seq);
        assertThat(ring.sharedInt(XenRingDescriptor.REQ_PROD_OFFSET)).isEqualTo(start + (int)seq);
        assertThat(ring.back().fault()).isEqualTo(RingFault.NONE);
        assertThat(ring.front().fault()).isEqualTo(RingFault.NONE);
    }

    @ParameterizedTest(name = "start {0}")
    @ValueSource(ints = {0xFFFF_FFF0, 0xFFFF_FFFE, 0xFFFF_FFFF, 0})
    void plainPushesForPollingPeersCrossTheWrapAndLeaveEventIndicesAlone(final int start)
    {
        final RingPair ring = RingPair.create(8, start);
        long seq = 0;
        for (int round = 0; round < 20; round++)
        {
            final int batch = 1 + round % 8;
            ring.claimRequests(seq, batch);
            assertThat(ring.back().unconsumedRequests()).as("claimed, not pushed").isZero();
            ring.front().pushRequests();
            assertThat(ring.back().unconsumedRequests()).isEqualTo(batch);
            ring.serveRequests(seq, batch);
            ring.back().pushResponses();
            assertThat(ring.front().unconsumedResponses()).isEqualTo(batch);
            ring.takeResponses(seq, batch);
            seq += batch;
        }
        assertThat(ring.sharedInt(XenRingDescriptor.REQ_PROD_OFFSET)).isEqualTo(start + (int)seq);
        assertThat(ring.sharedInt(XenRingDescriptor.RSP_PROD_OFFSET)).isEqualTo(start + (int)seq);
        assertThat(ring.sharedInt(XenRingDescriptor.REQ_EVENT_OFFSET)).as("never written by a push").isEqualTo(start + 1);
        assertThat(ring.sharedInt(XenRingDescriptor.RSP_EVENT_OFFSET)).isEqualTo(start + 1);
        assertThat(ring.front().fault()).isEqualTo(RingFault.NONE);
        assertThat(ring.back().fault()).isEqualTo(RingFault.NONE);
    }

    @ParameterizedTest(name = "start {0}")
    @ValueSource(ints = {0xFFFF_FFFE, 0xFFFF_FFFF})
    void aNotifyingPushAfterPlainPushesCountsOnlyTheNewRequests(final int start)
    {
        final RingPair ring = RingPair.create(8, start);
        ring.claimRequests(0, 3);
        ring.front().pushRequests();
        ring.serveRequests(0, 3);
        assertThat(ring.back().finalCheckForRequests()).as("back about to sleep").isFalse();

        ring.claimRequests(3, 1);
        assertThat(ring.front().pushRequestsAndCheckNotify()).as("req_event = start + 4 passed").isTrue();
        ring.back().pushResponses();
        assertThat(ring.front().unconsumedResponses()).isEqualTo(3);
        ring.takeResponses(0, 3);
    }

    @ParameterizedTest(name = "start {0}")
    @ValueSource(ints = {0xFFFF_FFFE, 0xFFFF_FFFF, 0xFFFF_FFF0})
    void notifyDecisionsFollowTheEventIndexAcrossTheWrap(final int start)
    {
        final RingPair ring = RingPair.create(8, start);
        ring.claimRequests(0, 4);
        assertThat(ring.front().pushRequestsAndCheckNotify()).as("req_event = start + 1 is passed").isTrue();
        ring.claimRequests(4, 1);
        assertThat(ring.front().pushRequestsAndCheckNotify()).as("back awake, event not re-armed").isFalse();

        ring.serveRequests(0, 5);
        assertThat(ring.back().finalCheckForRequests()).isFalse();
        assertThat(ring.sharedInt(XenRingDescriptor.REQ_EVENT_OFFSET)).isEqualTo(start + 6);
        ring.claimRequests(5, 2);
        assertThat(ring.front().pushRequestsAndCheckNotify()).as("back asleep after its final check").isTrue();

        assertThat(ring.back().pushResponsesAndCheckNotify()).as("rsp_event = start + 1 is passed").isTrue();
        ring.takeResponses(0, 5);
        assertThat(ring.front().finalCheckForResponses()).isFalse();
        ring.serveRequests(5, 2);
        assertThat(ring.back().pushResponsesAndCheckNotify()).isTrue();
        assertThat(ring.front().finalCheckForResponses()).as("responses waiting").isTrue();
        ring.takeResponses(5, 2);
    }

    @ParameterizedTest(name = "start {0}")
    @ValueSource(ints = {0xFFFF_FFFC, 0xFFFF_FFFF})
    void aFullRingAcrossTheWrapRefusesMoreRequests(final int start)
    {
        final RingPair ring = RingPair.create(4, start);
        ring.claimRequests(0, 4);
        assertThat(ring.front().full()).isTrue();
        assertThat(ring.front().claimRequest()).isEqualTo(FrontRing.NO_SLOT);
        ring.front().pushRequestsAndCheckNotify();
        assertThat(ring.back().unconsumedRequests()).isEqualTo(4);
        assertThat(ring.back().fault()).isEqualTo(RingFault.NONE);
    }

    @Test
    void aFourPageRingFillsAllItsSlotsAcrossPagesAndWraps()
    {
        final int ringBytes = 4 * 4096;
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(ringBytes, 4096));
        final FrontRing front = FrontRing.initialise(buffer, 0, ringBytes, BlkifTestMessages.SLOT_LENGTH, 0xFFFF_FFC0);
        final BackRing back = BackRing.attach(buffer, 0, ringBytes, BlkifTestMessages.SLOT_LENGTH, 0xFFFF_FFC0);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[BlkifTestMessages.SLOT_LENGTH]);
        assertThat(front.entries()).isEqualTo(128);
        for (int round = 0; round < 2; round++)
        {
            int lastSlot = 0;
            for (int i = 0; i < 128; i++)
            {
                final int slot = front.claimRequest();
                BlkifTestMessages.writeRequest(buffer, slot, i);
                lastSlot = Math.max(lastSlot, slot);
            }
            assertThat(lastSlot).isEqualTo(64 + 127 * 112).isGreaterThan(3 * 4096);
            assertThat(front.full()).isTrue();
            front.pushRequestsAndCheckNotify();
            for (int i = 0; i < 128; i++)
            {
                assertThat(back.copyRequest(copy, 0)).isTrue();
                BlkifTestMessages.assertRequest(copy, 0, i);
                BlkifTestMessages.writeResponse(buffer, back.claimResponse(), i);
            }
            back.pushResponsesAndCheckNotify();
            for (int i = 0; i < 128; i++)
            {
                assertThat(front.copyResponse(copy, 0)).isTrue();
                BlkifTestMessages.assertResponse(copy, 0, i);
            }
        }
        assertThat(back.fault()).isEqualTo(RingFault.NONE);
    }
}
