package org.coopvm.rings.xen;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.rings.xen.XenRingDescriptor.*;

/**
 * A peer writes whatever it likes into the shared header; the ring must detect impossible
 * indices, report them as values, never trust them, and never throw or loop.
 */
class XenRingHostilePeerTest
{
    private static final int START = 0xFFFF_FFF8;
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[RingPair.SLOT_BYTES]);

    @ParameterizedTest(name = "req_prod = req_cons + {0}")
    @ValueSource(ints = {9, 8 + 3, 1000, 0x7FFF_FFFF, 0x8000_0000, -1, -3})
    void backRefusesARequestProducerIndexBeyondTheRing(final int claimedAhead)
    {
        final RingPair ring = RingPair.create(8, START);
        ring.claimRequests(0, 3);
        ring.front().pushRequestsAndCheckNotify();
        ring.serveRequests(0, 3);

        final int hostile = START + 3 + claimedAhead;
        ring.writeShared(REQ_PROD_OFFSET, hostile);

        assertThat(ring.back().unconsumedRequests()).isZero();
        assertThat(ring.back().fault()).isEqualTo(RingFault.PRODUCER_INDEX_OVERRUN);
        assertThat(ring.back().faultPeerIndex()).isEqualTo(hostile);
        assertThat(ring.back().faultOwnIndex()).isEqualTo(START + 3);
        assertStaysFaultedAndIdle(ring);
    }

    @ParameterizedTest(name = "responses answered {0}, req_prod ahead by {1}")
    @CsvSource({"0, 5", "0, 6", "2, 7", "2, 8", "3, 8", "3, 9"})
    void backCountsUnansweredRequestsAgainstTheRing(final int answered, final int claimedAhead)
    {
        final RingPair ring = RingPair.create(8, START);
        ring.claimRequests(0, 3);
        ring.front().pushRequestsAndCheckNotify();
        for (int i = 0; i < 3; i++)
        {
            assertThat(ring.back().copyRequest(copy, 0)).isTrue();
        }
        for (int i = 0; i < answered; i++)
        {
            assertThat(ring.back().claimResponse()).isNotEqualTo(BackRing.NO_SLOT);
        }
        assertThat(ring.back().requestsToRespondTo()).isEqualTo(3 - answered);

        ring.writeShared(REQ_PROD_OFFSET, START + 3 + claimedAhead);
        final int room = 8 - (3 - answered);
        final boolean honest = claimedAhead <= room;
        assertThat(ring.back().unconsumedRequests()).isEqualTo(honest ? claimedAhead : 0);
        assertThat(ring.back().fault()).isEqualTo(honest ? RingFault.NONE : RingFault.PRODUCER_INDEX_OVERRUN);
    }

    @ParameterizedTest(name = "rsp_prod = rsp_cons + {0}")
    @ValueSource(ints = {3, 4, 9, 0x8000_0000, -1})
    void frontRefusesMoreResponsesThanRequestsOutstanding(final int claimedAhead)
    {
        final RingPair ring = RingPair.create(8, START);
        ring.claimRequests(0, 2);
        ring.front().pushRequestsAndCheckNotify();
        ring.claimRequests(2, 1);

        ring.writeShared(RSP_PROD_OFFSET, START + claimedAhead);

        assertThat(ring.front().unconsumedResponses()).isZero();
        assertThat(ring.front().copyResponse(copy, 0)).isFalse();
        assertThat(ring.front().finalCheckForResponses()).isFalse();
        assertThat(ring.front().fault()).isEqualTo(RingFault.PRODUCER_INDEX_OVERRUN);
        assertThat(ring.front().faultPeerIndex()).isEqualTo(START + claimedAhead);
        assertThat(ring.front().faultCount(RingFault.PRODUCER_INDEX_OVERRUN)).isEqualTo(1);
        assertThat(ring.front().claimRequest()).isEqualTo(FrontRing.NO_SLOT);
        assertThat(ring.front().faultDescription()).contains("PRODUCER_INDEX_OVERRUN");
    }

    @ParameterizedTest(name = "rsp_prod = rsp_cons + {0}")
    @ValueSource(ints = {3, 9, -1})
    void plainPushesKeepTheBoundsOnTheHostilePeersIndex(final int claimedAhead)
    {
        final RingPair ring = RingPair.create(8, START);
        ring.claimRequests(0, 2);
        ring.front().pushRequests();
        ring.serveRequests(0, 2);
        ring.back().pushResponses();
        ring.takeResponses(0, 2);
        ring.claimRequests(2, 2);
        ring.front().pushRequests();

        ring.writeShared(RSP_PROD_OFFSET, START + 2 + claimedAhead);
        assertThat(ring.front().unconsumedResponses()).isZero();
        assertThat(ring.front().fault()).isEqualTo(RingFault.PRODUCER_INDEX_OVERRUN);

        ring.writeShared(REQ_PROD_OFFSET, START + 4 + 9);
        assertThat(ring.back().unconsumedRequests()).isZero();
        assertThat(ring.back().fault()).isEqualTo(RingFault.PRODUCER_INDEX_OVERRUN);
    }

    @ParameterizedTest(name = "req_event = req_prod + {0}")
    @ValueSource(ints = {9, 100, 0x7FFF_FFFF})
    void anEventIndexFarAheadIsCountedAndAnsweredWithANotification(final int eventAhead)
    {
        final RingPair ring = RingPair.create(8, START);
        ring.writeShared(REQ_EVENT_OFFSET, START + eventAhead);
        ring.claimRequests(0, 2);

        assertThat(ring.front().pushRequestsAndCheckNotify()).isTrue();
        assertThat(ring.front().faultCount(RingFault.EVENT_INDEX_OUT_OF_RANGE)).isEqualTo(1);
        assertThat(ring.front().lastBadEventIndex()).isEqualTo(START + eventAhead);
        assertThat(ring.front().fault()).as("not permanent").isEqualTo(RingFault.NONE);

        ring.writeShared(RSP_EVENT_OFFSET, START - 5 + 0x7000_0000);
        ring.serveRequests(0, 2);
        assertThat(ring.back().pushResponsesAndCheckNotify()).isTrue();
        assertThat(ring.back().faultCount(RingFault.EVENT_INDEX_OUT_OF_RANGE)).isEqualTo(1);
        ring.takeResponses(0, 2);
    }

    @ParameterizedTest(name = "req_event = req_prod + {0}")
    @ValueSource(ints = {3, 8})
    void aBatchingEventIndexWithinTheRingIsHonoured(final int eventAhead)
    {
        final RingPair ring = RingPair.create(8, START);
        ring.writeShared(REQ_EVENT_OFFSET, START + eventAhead);
        ring.claimRequests(0, 2);

        assertThat(ring.front().pushRequestsAndCheckNotify()).as("event not reached yet").isFalse();
        assertThat(ring.front().faultCount(RingFault.EVENT_INDEX_OUT_OF_RANGE)).isZero();
    }

    private void assertStaysFaultedAndIdle(final RingPair ring)
    {
        ring.writeShared(REQ_PROD_OFFSET, ring.back().requestConsumerIndex() + 1);
        for (int i = 0; i < 3; i++)
        {
            assertThat(ring.back().unconsumedRequests()).isZero();
            assertThat(ring.back().copyRequest(copy, 0)).isFalse();
            assertThat(ring.back().finalCheckForRequests()).isFalse();
            assertThat(ring.back().claimResponse()).isEqualTo(BackRing.NO_SLOT);
        }
        assertThat(ring.back().fault()).isEqualTo(RingFault.PRODUCER_INDEX_OVERRUN);
        assertThat(ring.back().faultCount(RingFault.PRODUCER_INDEX_OVERRUN)).isEqualTo(1);
    }
}
