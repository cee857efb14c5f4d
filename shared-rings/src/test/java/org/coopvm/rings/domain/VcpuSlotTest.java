package org.coopvm.rings.domain;

import org.coopvm.rings.mem.NativeThread;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.*;

class VcpuSlotTest
{
    private final SharedRegion region = SharedRegion.createAnonymous(RegionType.SHARED_INFO, 1, SharedInfoDescriptor.PAYLOAD_LENGTH);
    private final VcpuSlot guest = new VcpuSlot().wrap(region.payloadBuffer(), 2);
    private final VcpuSlot host = new VcpuSlot().wrap(region.payloadBuffer(), 2);

    @AfterEach
    void close()
    {
        region.close();
    }

    @Test
    void theVcpuHoldsItsSlotFromTheGrantUntilItGivesItBack()
    {
        assertThat(guest.holds()).as("all zero: no slot").isFalse();
        guest.request(SLOT_REQUEST_RUNNABLE);
        assertThat(host.request()).isEqualTo(SLOT_REQUEST_RUNNABLE);

        final int seq = host.grant(3);
        assertThat(guest.holds()).isTrue();
        assertThat(guest.slotNumber()).isEqualTo(3);
        assertThat(host.releaseSeq()).as("not released yet").isNotEqualTo(seq);

        assertThat(guest.release(SLOT_REQUEST_IDLE)).isTrue();
        assertThat(guest.holds()).isFalse();
        assertThat(host.releaseSeq()).isEqualTo(seq);
        assertThat(host.request()).isEqualTo(SLOT_REQUEST_IDLE);
        assertThat(guest.release(SLOT_REQUEST_IDLE)).as("nothing held any more").isFalse();
    }

    @Test
    void aGrantClearsThePreemptFlagTheGuestSawAtItsSafePoint()
    {
        host.grant(0);
        assertThat(guest.preemptRequested()).isFalse();
        host.preempt(true);
        assertThat(guest.preemptRequested()).isTrue();
        guest.release(SLOT_REQUEST_RUNNABLE);
        host.grant(1);
        assertThat(guest.preemptRequested()).isFalse();
        assertThat(guest.holds()).isTrue();
    }

    @Test
    void theSequencesWrapAt2To32()
    {
        region.payloadBuffer().putInt(SharedInfoDescriptor.vcpuInfoOffset(2) + SLOT_GRANT_SEQ_OFFSET, -1);
        region.payloadBuffer().putInt(SharedInfoDescriptor.vcpuInfoOffset(2) + SLOT_RELEASE_SEQ_OFFSET, -1);
        assertThat(guest.holds()).isFalse();
        assertThat(host.grant(0)).isZero();
        assertThat(guest.holds()).isTrue();
        guest.release(SLOT_REQUEST_IDLE);
        assertThat(host.releaseSeq()).isZero();
    }

    @Test
    void eachVcpuHasItsOwnWordsAndTheThreadIdIsTheCallersLinuxTid() throws Exception
    {
        final VcpuSlot other = new VcpuSlot().wrap(region.payloadBuffer(), 3);
        host.grant(0);
        assertThat(other.holds()).isFalse();

        final int tid = NativeThread.currentTid();
        guest.publishNativeTid(tid);
        assertThat(host.nativeTid()).isEqualTo(tid);
        assertThat(other.nativeTid()).isZero();
        assertThat(Files.exists(Path.of("/proc/self/task/" + tid))).as("a thread of this process").isTrue();
        assertThatThrownBy(() -> new VcpuSlot().wrap(region.payloadBuffer(), SharedInfoDescriptor.MAX_VCPUS))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
