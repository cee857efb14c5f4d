package org.coopvm.rings.domain;

import org.coopvm.rings.doorbell.PeerLivenessDescriptor;
import org.coopvm.rings.region.RegionType;

/**
 * Layout of a {@link RegionType#START_INFO} region's payload: what a guest kernel needs to boot.
 * The host writes it once before the guest starts; afterwards only the two liveness slots change.
 * Offsets are from the start of the payload.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 domid (u32)                                   |    0
 *  +---------------------------------------------------------------+
 *  |                 nr_vcpus, 1..32 (u32)                         |    4
 *  +---------------------------------------------------------------+
 *  |                 memory KiB at boot (u64)                      |    8
 *  +---------------------------------------------------------------+
 *  |                 maxmem KiB (u64)                              |   16
 *  +---------------------------------------------------------------+
 *  |                 frames in the memory region (u32)             |   24
 *  +---------------------------------------------------------------+
 *  |                 grant table entries (u32)                     |   28
 *  +---------------------------------------------------------------+
 *  |        flags (u32): bit 0 in-process, bit 1 CPU slots         |   32
 *  +---------------------------------------------------------------+
 *  |                 hypercall channel capacity bytes (u32)        |   36
 *  +---------------------------------------------------------------+
 *  |                 reserved, zero                                |   40..51
 *  +---------------------------------------------------------------+
 *  |                 xenstore event channel port (u32, host)       |   52
 *  +---------------------------------------------------------------+
 *  |                 reserved, zero                                |   56..63
 *  +---------------------------------------------------------------+
 *  |                 host liveness slot (32 bytes)                 |   64
 *  +---------------------------------------------------------------+
 *  |                 guest liveness slot (32 bytes)                |   96
 *  +---------------------------------------------------------------+
 *  |  workload name: u16 length, up to 126 UTF-8 bytes             |  128
 *  +---------------------------------------------------------------+
 *  |  workload args: u16 length, up to 3838 UTF-8 bytes of         |  256
 *  |  "key=value\n" lines                                          |
 *  +---------------------------------------------------------------+  4096
 * </pre>
 *
 * A guest treats every field as coming from the host but still checks ranges before use.
 *
 * <p>The host writes every field; the guest writes nothing here but its liveness slot. The
 * console ring's grant reference and port, which a guest once wrote at offsets 40..51, travel in
 * xenstore now ({@code device/console/0}, see {@code org.coopvm.rings.console.ConsoleDevice});
 * those bytes stay reserved and zero.
 */
public final class StartInfoDescriptor
{
    /** Offset of the domain id (u32). */
    public static final int DOMID_OFFSET = 0;
    /** Offset of the number of vCPUs (u32), 1..{@link #MAX_VCPUS}. */
    public static final int NR_VCPUS_OFFSET = 4;
    /** Offset of the memory at boot in KiB (u64). */
    public static final int MEMORY_KIB_OFFSET = 8;
    /** Offset of the maximum memory in KiB (u64). */
    public static final int MAXMEM_KIB_OFFSET = 16;
    /** Offset of the number of 4 KiB frames in the memory region (u32). */
    public static final int MEMORY_PAGES_OFFSET = 24;
    /** Offset of the number of grant table entries (u32). */
    public static final int GRANT_ENTRIES_OFFSET = 28;
    /** Offset of the flags (u32), see {@link #FLAG_IN_PROCESS} and {@link #FLAG_CPU_SLOTS}. */
    public static final int FLAGS_OFFSET = 32;
    /** Offset of the hypercall channel's ring capacity in bytes (u32). */
    public static final int HYPERCALL_CAPACITY_OFFSET = 36;
    /**
     * Offset of the xenstore event channel port (u32, the guest's port, bound to xenstored in
     * dom0), written by the host at creation; the ring page is the domain's XENSTORE region.
     */
    public static final int XENSTORE_PORT_OFFSET = 52;
    /** Offset of the host's liveness slot: the host heartbeats it every 100 ms. */
    public static final int HOST_LIVENESS_OFFSET = 64;
    /** Offset of the guest's liveness slot: the guest heartbeats it every 100 ms. */
    public static final int GUEST_LIVENESS_OFFSET = HOST_LIVENESS_OFFSET + PeerLivenessDescriptor.SLOT_LENGTH;
    /** Offset of the workload name: u16 length, then UTF-8 bytes. */
    public static final int WORKLOAD_NAME_OFFSET = 128;
    /** Offset of the workload arguments: u16 length, then UTF-8 "key=value\n" lines. */
    public static final int WORKLOAD_ARGS_OFFSET = 256;
    /** Payload bytes of a start info region: one page. */
    public static final int PAYLOAD_LENGTH = 4096;

    /** Longest workload name in UTF-8 bytes. */
    public static final int WORKLOAD_NAME_MAX_BYTES = WORKLOAD_ARGS_OFFSET - WORKLOAD_NAME_OFFSET - 2;
    /** Longest workload argument text in UTF-8 bytes. */
    public static final int WORKLOAD_ARGS_MAX_BYTES = PAYLOAD_LENGTH - WORKLOAD_ARGS_OFFSET - 2;
    /** Flag bit: the guest runs inside the host's JVM (anonymous regions, no files). */
    public static final int FLAG_IN_PROCESS = 1;
    /**
     * Flag bit: the host schedules the domain's vCPUs on physical CPU slots: a vCPU runs guest
     * work only while it holds a slot ({@link VcpuSlot}). Without it the vCPUs run freely.
     */
    public static final int FLAG_CPU_SLOTS = 2;
    /** Most vCPUs a domain may have (vcpu_info slots in the shared info). */
    public static final int MAX_VCPUS = 32;
    /** Period of the heartbeats in both liveness slots, in milliseconds. */
    public static final long HEARTBEAT_INTERVAL_MS = 100;
    /** Age of a heartbeat after which its owner counts as dead, in milliseconds. */
    public static final long HEARTBEAT_TIMEOUT_MS = 1000;

    private StartInfoDescriptor()
    {
    }
}
