package org.coopvm.rings.xen;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test helper: the x86-64 layout of {@code struct blkif_request} / {@code blkif_response}
 * ({@code io/blkif.h}) and the request/response contents of the C interop test, mirrored from
 * {@code blkif_peer.c}. A real blkif flyweight belongs to a later issue.
 */
final class BlkifTestMessages
{
    static final int SLOT_LENGTH = 112;
    static final int OPERATION_OFFSET = 0;
    static final int NR_SEGMENTS_OFFSET = 1;
    static final int HANDLE_OFFSET = 2;
    static final int ID_OFFSET = 8;
    static final int SECTOR_NUMBER_OFFSET = 16;
    static final int SEGMENTS_OFFSET = 24;
    static final int SEGMENT_LENGTH = 8;
    static final int SEGMENT_FIRST_SECT_OFFSET = 4;
    static final int SEGMENT_LAST_SECT_OFFSET = 5;
    static final int RESPONSE_ID_OFFSET = 0;
    static final int RESPONSE_OPERATION_OFFSET = 8;
    static final int RESPONSE_STATUS_OFFSET = 10;
    static final int RESPONSE_LENGTH = 16;
    static final int MAX_SEGMENTS = 11;

    private static final long ID_BASE = 0xC0FFEE000000L;

    private BlkifTestMessages()
    {
    }

    static int operation(final int i)
    {
        return i % 2;
    }

    static short status(final int i)
    {
        return (short)(i % 3 == 0 ? -1 : 0);
    }

    static void writeRequest(final MutableDirectBuffer buffer, final int offset, final int i)
    {
        buffer.setMemory(offset, SLOT_LENGTH, (byte)0);
        final int segments = 1 + i % MAX_SEGMENTS;
        buffer.putByte(offset + OPERATION_OFFSET, (byte)operation(i));
        buffer.putByte(offset + NR_SEGMENTS_OFFSET, (byte)segments);
        buffer.putShort(offset + HANDLE_OFFSET, (short)0x0A0B);
        buffer.putLong(offset + ID_OFFSET, ID_BASE + i);
        buffer.putLong(offset + SECTOR_NUMBER_OFFSET, i * 8L);
        for (int j = 0; j < segments; j++)
        {
            final int segment = offset + SEGMENTS_OFFSET + j * SEGMENT_LENGTH;
            buffer.putInt(segment, i * 16 + j);
            buffer.putByte(segment + SEGMENT_FIRST_SECT_OFFSET, (byte)(j % 8));
            buffer.putByte(segment + SEGMENT_LAST_SECT_OFFSET, (byte)7);
        }
    }

    static void assertRequest(final DirectBuffer buffer, final int offset, final int i)
    {
        final int segments = 1 + i % MAX_SEGMENTS;
        assertThat(buffer.getLong(offset + ID_OFFSET)).as("id of request %d", i).isEqualTo(ID_BASE + i);
        assertThat(buffer.getByte(offset + OPERATION_OFFSET)).as("operation of %d", i).isEqualTo((byte)operation(i));
        assertThat(buffer.getByte(offset + NR_SEGMENTS_OFFSET)).as("segments of %d", i).isEqualTo((byte)segments);
        assertThat(buffer.getShort(offset + HANDLE_OFFSET)).as("handle of %d", i).isEqualTo((short)0x0A0B);
        assertThat(buffer.getLong(offset + SECTOR_NUMBER_OFFSET)).as("sector of %d", i).isEqualTo(i * 8L);
        for (int j = 0; j < segments; j++)
        {
            final int segment = offset + SEGMENTS_OFFSET + j * SEGMENT_LENGTH;
            assertThat(buffer.getInt(segment)).as("gref %d of %d", j, i).isEqualTo(i * 16 + j);
            assertThat(buffer.getByte(segment + SEGMENT_FIRST_SECT_OFFSET)).isEqualTo((byte)(j % 8));
            assertThat(buffer.getByte(segment + SEGMENT_LAST_SECT_OFFSET)).isEqualTo((byte)7);
        }
    }

    static void writeResponse(final MutableDirectBuffer buffer, final int offset, final int i)
    {
        buffer.putLong(offset + RESPONSE_ID_OFFSET, ID_BASE + i);
        buffer.putByte(offset + RESPONSE_OPERATION_OFFSET, (byte)operation(i));
        buffer.putShort(offset + RESPONSE_STATUS_OFFSET, status(i));
    }

    static void assertResponse(final DirectBuffer buffer, final int offset, final int i)
    {
        assertThat(buffer.getLong(offset + RESPONSE_ID_OFFSET)).as("id of response %d", i).isEqualTo(ID_BASE + i);
        assertThat(buffer.getByte(offset + RESPONSE_OPERATION_OFFSET)).as("operation of %d", i)
            .isEqualTo((byte)operation(i));
        assertThat(buffer.getShort(offset + RESPONSE_STATUS_OFFSET)).as("status of %d", i).isEqualTo(status(i));
    }
}
