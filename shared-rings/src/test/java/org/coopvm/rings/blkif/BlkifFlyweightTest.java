package org.coopvm.rings.blkif;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blkif flyweights write what they read, unsigned fields stay unsigned, a header clears what
 * a previous request left in the slot, and virtual device names encode as Xen's vbd-interface says.
 */
class BlkifFlyweightTest
{
    @Test
    void aRequestWrittenWithElevenSegmentsReadsBackFieldForField()
    {
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[BlkifRing.SLOT_LENGTH]);
        final BlkifRequest request = new BlkifRequest().wrap(slot, 0);
        request.header(BlkifRequestDescriptor.OP_WRITE, 11, 0xFFFF, -1L, 0x1_0000_0000L);
        for (int i = 0; i < 11; i++)
        {
            request.segment(i, 0x8000_0000 + i, i % 8, 7);
        }
        assertThat(request.operation()).isEqualTo(1);
        assertThat(request.nrSegments()).isEqualTo(11);
        assertThat(request.handle()).as("u16").isEqualTo(0xFFFF);
        assertThat(request.id()).isEqualTo(-1L);
        assertThat(request.sectorNumber()).isEqualTo(0x1_0000_0000L);
        assertThat(request.gref(10)).isEqualTo(0x8000_000A);
        assertThat(request.firstSect(10)).isEqualTo(2);
        assertThat(request.lastSect(10)).isEqualTo(7);
        assertThat(slot.getInt(BlkifRequestDescriptor.segmentOffset(10))).isEqualTo(0x8000_000A);

        request.discard(BlkifRequestDescriptor.DISCARD_SECURE, 3, 9, 100, 250);
        assertThat(request.operation()).isEqualTo(BlkifRequestDescriptor.OP_DISCARD);
        assertThat(request.discardFlag()).isEqualTo(1);
        assertThat(request.discardNrSectors()).isEqualTo(250);
        assertThat(request.gref(5)).as("the old segments are gone").isZero();
    }

    @Test
    void aResponseCarriesIdOperationAndNegativeStatus()
    {
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[BlkifRing.SLOT_LENGTH]);
        slot.setMemory(0, slot.capacity(), (byte)0x5A);
        final BlkifResponse response = new BlkifResponse().wrap(slot, 0).put(42, 0xFF, BlkifResponseDescriptor.STATUS_EOPNOTSUPP);
        assertThat(response.id()).isEqualTo(42);
        assertThat(response.operation()).isEqualTo(0xFF);
        assertThat(response.status()).isEqualTo((short)-2);
        assertThat(slot.getByte(9)).as("padding zeroed").isZero();
        assertThat(slot.getInt(12)).as("padding zeroed").isZero();
    }

    @Test
    void ringsHoldThirtyTwoEntriesPerPage()
    {
        assertThat(BlkifRing.SLOT_LENGTH).isEqualTo(112);
        assertThat(BlkifRing.entries(0)).isEqualTo(32);
        assertThat(BlkifRing.entries(BlkifRing.MAX_RING_PAGE_ORDER)).isEqualTo(512);
    }

    @Test
    void virtualDeviceNamesEncodeAsXenSays()
    {
        assertThat(VirtualDevice.parse("xvda")).contains(new VirtualDevice("xvda", 51712));
        assertThat(VirtualDevice.parse("xvdb")).contains(new VirtualDevice("xvdb", 51728));
        assertThat(VirtualDevice.parse("xvda1")).contains(new VirtualDevice("xvda1", 51713));
        assertThat(VirtualDevice.parse("xvdq").orElseThrow().number()).as("disk 16: extended").isEqualTo((1 << 28) | (16 << 8));
        assertThat(VirtualDevice.parse("xvdaa").orElseThrow().number()).isEqualTo((1 << 28) | (26 << 8));
        assertThat(VirtualDevice.parse("sda")).isEmpty();
        assertThat(VirtualDevice.parse("xvda01")).isEmpty();
        assertThat(VirtualDevice.parse("xvda256")).isEmpty();
        assertThat(VirtualDevice.parse("xvd")).isEmpty();
        for (final String name : new String[] {"xvda", "xvdp15", "xvdq", "xvdz3", "xvdaa", "xvdzz255"})
        {
            assertThat(VirtualDevice.of(VirtualDevice.parse(name).orElseThrow().number()).name()).as("round trip").isEqualTo(name);
        }
        assertThat(VirtualDevice.of(768).name()).isEqualTo("vbd768");
    }
}
