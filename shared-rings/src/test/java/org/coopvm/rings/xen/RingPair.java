package org.coopvm.rings.xen;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helper: a front and a back over one ring in private memory, messages carrying a sequence number. */
record RingPair(UnsafeBuffer buffer, FrontRing front, BackRing back)
{
    static final int SLOT_BYTES = 16;

    static RingPair create(final int entries, final int startIndex)
    {
        final int ringBytes = XenRingDescriptor.usedBytes(entries, SLOT_BYTES);
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(ringBytes, 64));
        final FrontRing front = FrontRing.initialise(buffer, 0, ringBytes, SLOT_BYTES, startIndex);
        return new RingPair(buffer, front, BackRing.attach(buffer, 0, ringBytes, SLOT_BYTES, startIndex));
    }

    /** Claim and write {@code count} requests numbered from {@code firstSeq}; does not push. */
    void claimRequests(final long firstSeq, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int slot = front.claimRequest();
            assertThat(slot).as("slot for request %d", firstSeq + i).isNotEqualTo(FrontRing.NO_SLOT);
            buffer.putLong(slot, firstSeq + i);
            buffer.putLong(slot + 8, ~(firstSeq + i));
        }
    }

    /** Consume {@code count} requests, asserting their numbers, and answer each with the same number. */
    void serveRequests(final long firstSeq, final int count)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[SLOT_BYTES]);
        for (int i = 0; i < count; i++)
        {
            assertThat(back.copyRequest(copy, 0)).as("request %d present", firstSeq + i).isTrue();
            assertThat(copy.getLong(0)).isEqualTo(firstSeq + i);
            assertThat(copy.getLong(8)).isEqualTo(~(firstSeq + i));
            final int slot = back.claimResponse();
            buffer.putLong(slot, copy.getLong(0));
            buffer.putLong(slot + 8, -copy.getLong(0));
        }
    }

    /** Consume {@code count} responses, asserting their numbers. */
    void takeResponses(final long firstSeq, final int count)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[SLOT_BYTES]);
        for (int i = 0; i < count; i++)
        {
            assertThat(front.copyResponse(copy, 0)).as("response %d present", firstSeq + i).isTrue();
            assertThat(copy.getLong(0)).isEqualTo(firstSeq + i);
            assertThat(copy.getLong(8)).isEqualTo(-(firstSeq + i));
        }
    }

    int sharedInt(final int fieldOffset)
    {
        return buffer.getIntVolatile(fieldOffset);
    }

    void writeShared(final int fieldOffset, final int value)
    {
        buffer.putIntVolatile(fieldOffset, value);
    }
}
