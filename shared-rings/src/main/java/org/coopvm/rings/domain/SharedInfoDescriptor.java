package org.coopvm.rings.domain;

import org.coopvm.rings.region.RegionType;

/**
 * Layout of a {@link RegionType#SHARED_INFO} region's payload: Xen's 2-level event channel
 * bitmaps (64-bit words) and one {@link VcpuInfoDescriptor vcpu_info} per vCPU. Offsets are from
 * the start of the payload. Port {@code p} is bit {@code p % 64} of word {@code p / 64}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        evtchn_pending[64], u64 words (512 bytes)              |    0
 *  +---------------------------------------------------------------+
 *  |        evtchn_mask[64], u64 words (512 bytes)                 |  512
 *  +---------------------------------------------------------------+
 *  |        vcpu_info[32], 128 bytes each (4096 bytes)             | 1024
 *  +---------------------------------------------------------------+
 *  |        reserved, zero                                         | 5120..8191
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The host sets pending bits and vcpu_info upcall state; the guest clears pending bits and
 * owns the mask bits. Both sides change bits only with atomic read-modify-write on whole words
 * (see {@link EventChannelBits}).
 */
public final class SharedInfoDescriptor
{
    /** Offset of the pending bitmap: 64 u64 words. */
    public static final int EVTCHN_PENDING_OFFSET = 0;
    /** Offset of the mask bitmap: 64 u64 words. */
    public static final int EVTCHN_MASK_OFFSET = 512;
    /** Offset of vcpu_info[0]; vcpu_info[k] is at {@link #vcpuInfoOffset(int)}. */
    public static final int VCPU_INFO_OFFSET = 1024;
    /** Payload bytes of a shared info region: two pages. */
    public static final int PAYLOAD_LENGTH = 8192;
    /** Event channel ports in the 2-level ABI (64 words of 64 bits). */
    public static final int NR_EVENT_CHANNELS = 4096;
    /** u64 words in each bitmap. */
    public static final int BITMAP_WORDS = 64;
    /** vcpu_info slots. */
    public static final int MAX_VCPUS = 32;

    private SharedInfoDescriptor()
    {
    }

    /**
     * @param vcpu 0..{@link #MAX_VCPUS}-1.
     * @return the payload offset of that vCPU's vcpu_info.
     */
    public static int vcpuInfoOffset(final int vcpu)
    {
        return VCPU_INFO_OFFSET + vcpu * VcpuInfoDescriptor.VCPU_INFO_LENGTH;
    }
}
