package org.coopvm.rings.xen;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.rings.xen.XenRingDescriptor.*;

/**
 * Random interleavings of both halves' operations against a model of Xen's ring: queue
 * contents and order, free counts, notify decisions by Xen's rule, and no lost wake-up (a side
 * whose final check said "empty" is notified by the peer's next push).
 */
class XenRingPropertyTest
{
    enum Kind
    {
        FRONT_PUSH, BACK_CONSUME, BACK_RESPOND, FRONT_CONSUME, BACK_FINAL_CHECK, FRONT_FINAL_CHECK
    }

    record Op(Kind kind, int count)
    {
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(1, 10))
            .as(Op::new).list().ofMaxSize(120);
    }

    @Provide
    Arbitrary<Integer> startIndices()
    {
        return Arbitraries.oneOf(
            Arbitraries.of(0, 0xFFFF_FFFF, 0xFFFF_FFF0, 0x7FFF_FFFF),
            Arbitraries.integers().between(-40, 0),
            Arbitraries.integers());
    }

    @Property(tries = 400)
    void ringBehavesAsXensModel(
        @ForAll("startIndices") final int start,
        @ForAll("sizes") final int entries,
        @ForAll("operations") final List<Op> ops)
    {
        final Model model = new Model(RingPair.create(entries, start), entries, start);
        for (final Op op : ops)
        {
            model.apply(op);
        }
        assertThat(model.ring.front().fault()).isEqualTo(RingFault.NONE);
        assertThat(model.ring.back().fault()).isEqualTo(RingFault.NONE);
        assertThat(model.ring.front().faultCount(RingFault.EVENT_INDEX_OUT_OF_RANGE)).isZero();
        assertThat(model.ring.back().faultCount(RingFault.EVENT_INDEX_OUT_OF_RANGE)).isZero();
    }

    @Provide
    Arbitrary<Integer> sizes()
    {
        return Arbitraries.of(1, 2, 4, 8);
    }

    /** The model: shared and private indices as plain ints, message queues, sleeping flags. */
    static final class Model
    {
        final RingPair ring;
        final int entries;
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[RingPair.SLOT_BYTES]);
        final ArrayDeque<Long> requestsOnRing = new ArrayDeque<>();
        final ArrayDeque<Long> requestsAtBack = new ArrayDeque<>();
        final ArrayDeque<Long> responsesOnRing = new ArrayDeque<>();
        int reqProd;
        int reqEvent;
        int rspProd;
        int rspEvent;
        int reqCons;
        int rspCons;
        long nextSeq;
        boolean backAsleep;
        boolean frontAsleep;

        Model(final RingPair ring, final int entries, final int start)
        {
            this.ring = ring;
            this.entries = entries;
            reqProd = start;
            rspProd = start;
            reqCons = start;
            rspCons = start;
            reqEvent = start + 1;
            rspEvent = start + 1;
        }

        void apply(final Op op)
        {
            switch (op.kind())
            {
                case FRONT_PUSH -> frontPush(op.count());
                case BACK_CONSUME -> backConsume(op.count());
                case BACK_RESPOND -> backRespond(op.count());
                case FRONT_CONSUME -> frontConsume(op.count());
                case BACK_FINAL_CHECK -> backFinalCheck();
                case FRONT_FINAL_CHECK -> frontFinalCheck();
            }
            assertThat(ring.front().freeRequests()).isEqualTo(entries - (reqProd - rspCons));
            assertThat(ring.back().requestsToRespondTo()).isEqualTo(requestsAtBack.size());
        }

        private void frontPush(final int wanted)
        {
            final int count = Math.min(wanted, entries - (reqProd - rspCons));
            for (int i = 0; i < count; i++)
            {
                final int slot = ring.front().claimRequest();
                ring.buffer().putLong(slot, nextSeq);
                requestsOnRing.add(nextSeq++);
            }
            assertThat(ring.front().full()).isEqualTo(reqProd + count - rspCons == entries);
            final boolean notify = ring.front().pushRequestsAndCheckNotify();
            final boolean expected = xenNotify(reqProd, reqProd + count, reqEvent);
            reqProd += count;
            assertThat(notify).as("request notify").isEqualTo(expected);
            assertThat(ring.sharedInt(REQ_PROD_OFFSET)).isEqualTo(reqProd);
            if (backAsleep && count > 0)
            {
                assertThat(notify).as("a sleeping back is woken").isTrue();
            }
            backAsleep &= !notify;
        }

        private void backConsume(final int wanted)
        {
            assertThat(ring.back().unconsumedRequests()).isEqualTo(requestsOnRing.size());
            for (int i = 0; i < wanted; i++)
            {
                final boolean present = ring.back().copyRequest(copy, 0);
                assertThat(present).isEqualTo(!requestsOnRing.isEmpty());
                if (!present)
                {
                    return;
                }
                assertThat(copy.getLong(0)).isEqualTo(requestsOnRing.peek());
                requestsAtBack.add(requestsOnRing.poll());
                reqCons++;
            }
        }

        private void backRespond(final int wanted)
        {
            final int count = Math.min(wanted, requestsAtBack.size());
            for (int i = 0; i < count; i++)
            {
                final int slot = ring.back().claimResponse();
                final long seq = requestsAtBack.poll();
                ring.buffer().putLong(slot, seq);
                responsesOnRing.add(seq);
            }
            if (requestsAtBack.isEmpty())
            {
                assertThat(ring.back().claimResponse()).as("nothing to answer").isEqualTo(BackRing.NO_SLOT);
            }
            final boolean notify = ring.back().pushResponsesAndCheckNotify();
            final boolean expected = xenNotify(rspProd, rspProd + count, rspEvent);
            rspProd += count;
            assertThat(notify).as("response notify").isEqualTo(expected);
            if (frontAsleep && count > 0)
            {
                assertThat(notify).as("a sleeping front is woken").isTrue();
            }
            frontAsleep &= !notify;
        }

        private void frontConsume(final int wanted)
        {
            assertThat(ring.front().unconsumedResponses()).isEqualTo(responsesOnRing.size());
            for (int i = 0; i < wanted; i++)
            {
                final boolean present = ring.front().copyResponse(copy, 0);
                assertThat(present).isEqualTo(!responsesOnRing.isEmpty());
                if (!present)
                {
                    return;
                }
                assertThat(copy.getLong(0)).isEqualTo(responsesOnRing.poll());
                rspCons++;
            }
        }

        private void backFinalCheck()
        {
            final boolean work = !requestsOnRing.isEmpty();
            if (!work)
            {
                reqEvent = reqCons + 1;
            }
            assertThat(ring.back().finalCheckForRequests()).isEqualTo(work);
            assertThat(ring.sharedInt(REQ_EVENT_OFFSET)).isEqualTo(reqEvent);
            backAsleep = !work;
        }

        private void frontFinalCheck()
        {
            final boolean work = !responsesOnRing.isEmpty();
            if (!work)
            {
                rspEvent = rspCons + 1;
            }
            assertThat(ring.front().finalCheckForResponses()).isEqualTo(work);
            assertThat(ring.sharedInt(RSP_EVENT_OFFSET)).isEqualTo(rspEvent);
            frontAsleep = !work;
        }

        private static boolean xenNotify(final int oldProd, final int newProd, final int event)
        {
            return Integer.compareUnsigned(newProd - event, newProd - oldProd) < 0;
        }
    }
}
