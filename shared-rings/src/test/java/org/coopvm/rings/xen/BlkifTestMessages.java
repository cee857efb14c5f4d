package org.coopvm.rings.xen;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.coopvm.rings.blkif.BlkifRequest;
import org.coopvm.rings.blkif.BlkifRequestDescriptor;
import org.coopvm.rings.blkif.BlkifResponse;
import org.coopvm.rings.blkif.BlkifRing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test helper: the requests and responses of the C interop test, written and checked through the
 * blkif flyweights ({@link BlkifRequest}, {@link BlkifResponse}), mirrored from
 * {@code blkif_peer.c}: request {@code i} is a discard when {@code i % 7 == 6}, else a read (even)
 * or write (odd) of {@code 1 + i % 11} segments.
 */
final class BlkifTestMessages
{
    static final int SLOT_LENGTH = BlkifRing.SLOT_LENGTH;

    private static final long ID_BASE = 0xC0FFEE000000L;
    private static final int HANDLE = 0x0A0B;

    private BlkifTestMessages()
    {
    }

    static int operation(final int i)
    {
        return i % 7 == 6 ? BlkifRequestDescriptor.OP_DISCARD : i % 2 == 1 ? BlkifRequestDescriptor.OP_WRITE :
            BlkifRequestDescriptor.OP_READ;
    }

    static short status(final int i)
    {
        return (short)(i % 3 == 0 ? -1 : 0);
    }

    static void writeRequest(final MutableDirectBuffer buffer, final int offset, final int i)
    {
        final BlkifRequest request = new BlkifRequest().wrap(buffer, offset);
        if (operation(i) == BlkifRequestDescriptor.OP_DISCARD)
        {
            request.discard(i % 2 == 1 ? BlkifRequestDescriptor.DISCARD_SECURE : 0, HANDLE, ID_BASE + i, i * 8L, i * 3L + 1);
            return;
        }
        final int segments = segments(i);
        request.header(operation(i), segments, HANDLE, ID_BASE + i, i * 8L);
        for (int j = 0; j < segments; j++)
        {
            request.segment(j, i * 16 + j, j % 8, 7);
        }
    }

    static void assertRequest(final DirectBuffer buffer, final int offset, final int i)
    {
        final BlkifRequest request = new BlkifRequest().wrap(buffer, offset);
        assertThat(request.id()).as("id of request %d", i).isEqualTo(ID_BASE + i);
        assertThat(request.operation()).as("operation of %d", i).isEqualTo(operation(i));
        assertThat(request.handle()).as("handle of %d", i).isEqualTo(HANDLE);
        assertThat(request.sectorNumber()).as("sector of %d", i).isEqualTo(i * 8L);
        if (operation(i) == BlkifRequestDescriptor.OP_DISCARD)
        {
            assertThat(request.discardFlag()).as("discard flag of %d", i).isEqualTo(i % 2);
            assertThat(request.discardNrSectors()).as("nr_sectors of %d", i).isEqualTo(i * 3L + 1);
            return;
        }
        assertThat(request.nrSegments()).as("segments of %d", i).isEqualTo(segments(i));
        for (int j = 0; j < segments(i); j++)
        {
            assertThat(request.gref(j)).as("gref %d of %d", j, i).isEqualTo(i * 16 + j);
            assertThat(request.firstSect(j)).isEqualTo(j % 8);
            assertThat(request.lastSect(j)).isEqualTo(7);
        }
    }

    static void writeResponse(final MutableDirectBuffer buffer, final int offset, final int i)
    {
        new BlkifResponse().wrap(buffer, offset).put(ID_BASE + i, operation(i), status(i));
    }

    static void assertResponse(final DirectBuffer buffer, final int offset, final int i)
    {
        final BlkifResponse response = new BlkifResponse().wrap(buffer, offset);
        assertThat(response.id()).as("id of response %d", i).isEqualTo(ID_BASE + i);
        assertThat(response.operation()).as("operation of %d", i).isEqualTo(operation(i));
        assertThat(response.status()).as("status of %d", i).isEqualTo(status(i));
    }

    private static int segments(final int i)
    {
        return 1 + i % BlkifRequestDescriptor.MAX_SEGMENTS;
    }
}
