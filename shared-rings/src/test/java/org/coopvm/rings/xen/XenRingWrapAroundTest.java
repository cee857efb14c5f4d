package org.coopvm.rings.xen;

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
}
