package org.coopvm.rings.xen;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class XenRingDescriptorTest
{
    @Test
    void onePageHoldsThe32BlkifAnd256NetifEntriesXenComputes()
    {
        assertThat(XenRingDescriptor.entries(4096, 112)).isEqualTo(32);
        assertThat(XenRingDescriptor.entries(4096, 12)).isEqualTo(256);
        assertThat(XenRingDescriptor.entries(4096, 8)).isEqualTo(256);
        assertThat(XenRingDescriptor.usedBytes(32, 112)).isEqualTo(64 + 32 * 112).isLessThanOrEqualTo(4096);
    }

    @Test
    void multiPageRingsRoundDownToAPowerOfTwo()
    {
        assertThat(XenRingDescriptor.entries(4 * 4096, 112)).isEqualTo(128);
        assertThat(XenRingDescriptor.entries(2 * 4096, 112)).isEqualTo(64);
        assertThat(XenRingDescriptor.entries(64 + 7 * 16, 16)).isEqualTo(4);
        assertThat(XenRingDescriptor.entries(64 + 16, 16)).isEqualTo(1);
    }

    @Test
    void headerOffsetsAreThoseOfStructSring()
    {
        assertThat(XenRingDescriptor.REQ_PROD_OFFSET).isZero();
        assertThat(XenRingDescriptor.REQ_EVENT_OFFSET).isEqualTo(4);
        assertThat(XenRingDescriptor.RSP_PROD_OFFSET).isEqualTo(8);
        assertThat(XenRingDescriptor.RSP_EVENT_OFFSET).isEqualTo(12);
        assertThat(XenRingDescriptor.PRIVATE_OFFSET + XenRingDescriptor.PRIVATE_LENGTH)
            .isEqualTo(XenRingDescriptor.PAD_OFFSET);
        assertThat(XenRingDescriptor.PAD_OFFSET + XenRingDescriptor.PAD_LENGTH).isEqualTo(XenRingDescriptor.ENTRIES_OFFSET);
        assertThat(XenRingDescriptor.ENTRIES_OFFSET).isEqualTo(64);
        assertThat(XenRingDescriptor.slotOffset(33, 32, 112)).isEqualTo(64 + 112);
    }

    @Test
    void impossibleGeometriesAreRejectedWithTheirNumbers()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> XenRingDescriptor.entries(4096, 0))
            .withMessageContaining("slot size 0");
        assertThatIllegalArgumentException().isThrownBy(() -> XenRingDescriptor.entries(100, 112))
            .withMessageContaining("100 bytes").withMessageContaining("112-byte slot");
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(8192, 64));
        assertThatIllegalArgumentException().isThrownBy(() -> FrontRing.initialise(buffer, 4096, 8192, 112))
            .withMessageContaining("does not fit");
        assertThatIllegalArgumentException().isThrownBy(() -> BackRing.attach(buffer, 4, 4096, 112))
            .withMessageContaining("8-byte boundary");
    }

    @Test
    void frontInitialisesTheSharedHeaderAsSharedRingInit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));
        buffer.setMemory(0, 4096, (byte)0x5A);
        FrontRing.initialise(buffer, 0, 4096, 112);
        assertThat(buffer.getInt(XenRingDescriptor.REQ_PROD_OFFSET)).isZero();
        assertThat(buffer.getInt(XenRingDescriptor.RSP_PROD_OFFSET)).isZero();
        assertThat(buffer.getInt(XenRingDescriptor.REQ_EVENT_OFFSET)).isEqualTo(1);
        assertThat(buffer.getInt(XenRingDescriptor.RSP_EVENT_OFFSET)).isEqualTo(1);
        for (int i = XenRingDescriptor.PRIVATE_OFFSET; i < XenRingDescriptor.ENTRIES_OFFSET; i++)
        {
            assertThat(buffer.getByte(i)).as("byte %d", i).isZero();
        }
        assertThat(buffer.getByte(XenRingDescriptor.ENTRIES_OFFSET)).as("slots untouched").isEqualTo((byte)0x5A);
    }
}
