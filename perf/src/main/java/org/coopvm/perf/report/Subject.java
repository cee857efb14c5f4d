package org.coopvm.perf.report;

/**
 * What a benchmark figure measures: one of our transports or a peer it is compared with.
 *
 * <p>Immutable; any thread.
 */
public enum Subject
{
    /** Our Xen {@code io/ring.h} request/response ring ({@code org.coopvm.rings.xen}). */
    XEN_RING("Xen ring", true),
    /** Our variable-length message channel ({@code org.coopvm.rings.channel}). */
    CHANNEL("message channel", true),
    /** Agrona's {@code OneToOneRingBuffer}, used directly. */
    AGRONA_ONE_TO_ONE("Agrona OneToOneRingBuffer", false),
    /** Aeron IPC through an {@code ExclusivePublication} and an embedded media driver. */
    AERON_IPC("Aeron IPC", false),
    /** Two futex words, written then woken with {@code FUTEX_WAKE} every time: the cost of blocking. */
    FUTEX_BASELINE("raw futex ping-pong", false),
    /** A null hypercall ({@code xen_version}) from a process guest's kernel to a real hypervisor and back. */
    NULL_HYPERCALL("null hypercall (xen_version)", true),
    /** An interdomain event channel between two process guests: send hypercall to the peer vCPU's upcall. */
    EVENT_CHANNEL("interdomain event channel", true),
    /** A xenstore READ from a dom0 tool over xenstored's Unix socket ({@code XenstoreSocketClient}). */
    XENSTORE_SOCKET_READ("xenstore READ, tool over Unix socket", true),
    /** A xenstore WRITE of 32 bytes from a dom0 tool over xenstored's Unix socket. */
    XENSTORE_SOCKET_WRITE("xenstore WRITE, tool over Unix socket", true),
    /** A xenstore READ from a guest's {@code XenstoreClient} over its ring page. */
    XENSTORE_RING_READ("xenstore READ, guest over ring", true),
    /** A xenstore WRITE of 32 bytes from a guest's {@code XenstoreClient} over its ring page. */
    XENSTORE_RING_WRITE("xenstore WRITE, guest over ring", true),
    /** Xen's {@code xenstore-read} binary, one process per READ: a per-process cost reference. */
    XENSTORE_UTILS_READ("xenstore-read process (Xen's tool)", false),
    /** Xen's {@code xenstore-write} binary, one process per WRITE: a per-process cost reference. */
    XENSTORE_UTILS_WRITE("xenstore-write process (Xen's tool)", false),
    /** A balloon inflate: memory/target written in xenstore, the guest's balloon driver, decrease_reservation, punched out. */
    BALLOON_INFLATE("balloon inflate", true),
    /** A balloon deflate: memory/target written back, the guest's balloon driver, populate_physmap. */
    BALLOON_DEFLATE("balloon deflate", true),
    /** One {@code fallocate(PUNCH_HOLE)} of a mapped, touched tmpfs file: the floor of the inflate's mechanism. */
    PUNCH_HOLE("fallocate PUNCH_HOLE, mapped tmpfs file", false),
    /** One {@code madvise(MADV_DONTNEED)} of touched anonymous memory: what Firecracker does with ballooned pages. */
    MADV_DONTNEED("madvise MADV_DONTNEED, anonymous (Firecracker)", false),
    /** 4 KiB random reads through blkfront, the blkif ring and dom0's blkback, into an image file. */
    BLOCK_RANDREAD_4K("blkfront/blkback 4 KiB random read", true),
    /** 4 KiB random writes through blkfront and blkback. */
    BLOCK_RANDWRITE_4K("blkfront/blkback 4 KiB random write", true),
    /** 64 KiB sequential reads through blkfront and blkback. */
    BLOCK_SEQREAD_64K("blkfront/blkback 64 KiB sequential read", true),
    /** 64 KiB sequential writes through blkfront and blkback. */
    BLOCK_SEQWRITE_64K("blkfront/blkback 64 KiB sequential write", true),
    /** 4 KiB random positional reads with {@code FileChannel} from one thread, on the same image. */
    DIRECT_RANDREAD_4K("FileChannel 4 KiB random read, one thread", false),
    /** 4 KiB random positional writes with {@code FileChannel} from one thread. */
    DIRECT_RANDWRITE_4K("FileChannel 4 KiB random write, one thread", false),
    /** 64 KiB sequential positional reads with {@code FileChannel} from one thread. */
    DIRECT_SEQREAD_64K("FileChannel 64 KiB sequential read, one thread", false),
    /** 64 KiB sequential positional writes with {@code FileChannel} from one thread. */
    DIRECT_SEQWRITE_64K("FileChannel 64 KiB sequential write, one thread", false),
    /** A stream of 1514-byte frames (1500-byte payload) from one process guest's netfront through dom0's netback and switch to another's. */
    NET_STREAM("netfront/netback/switch stream, 1500-byte payloads", true),
    /** A round trip of 60-byte frames between two process guests through netfront, netback and dom0's switch. */
    NET_ROUND_TRIP("netfront/netback/switch round trip, 60-byte frames", true),
    /** 1500-byte frames copied between two off-heap buffers by one thread: the floor of a copying split driver's stream. */
    MEMCPY_FRAMES("memcpy of 1500-byte frames, one thread", false),
    /** virtio-balloon inflating 7 GB in 4.1 s, as recorded in issue 5: not measured here. */
    VIRTIO_BALLOON("virtio-balloon, 7 GB in 4.1 s (recorded)", false, true),
    /** virtio-balloon with scatter-gather, 7 GB in 0.49 s, as recorded in issue 5: not measured here. */
    VIRTIO_BALLOON_SG("virtio-balloon scatter-gather, 7 GB in 0.49 s (recorded)", false, true),
    /** The {@code credit} CPU scheduler (Xen's credit) on the real CPU slot runtime, or its pure algorithm. */
    SCHED_CREDIT("credit scheduler", true),
    /** The {@code credit2} CPU scheduler on the real CPU slot runtime, or its pure algorithm. */
    SCHED_CREDIT2("credit2 scheduler", true),
    /** A wake-up with a free CPU slot waiting (P >= vCPUs, same load): the slot round trip without the wait for one. */
    WAKE_FREE_SLOT("free slot: P >= vCPUs, same load", false),
    /** A wake-up without CPU slots (same load): the raw doorbell wake, Linux alone shares the cores. */
    WAKE_NO_SLOTS("no slots: raw doorbell wake, Linux alone, same load", false),
    /** A wake-up on an idle host (CPU slots, nothing else runnable): the slot round trip's floor. */
    WAKE_IDLE_HOST("idle host: slots, no load", false),
    /** A live change of a domain's weight or slice ({@code CpuScheduler.adjust}) while its vCPUs are busy. */
    SCHED_ADJUST("live adjust (weight, slice)", true),
    /** A trivial round-robin picker (no credit, no priorities): the floor of a scheduling decision. */
    ROUND_ROBIN_PICKER("round-robin picker (no credit)", false);

    private final String displayName;
    private final boolean ours;
    private final boolean recorded;

    Subject(final String displayName, final boolean ours)
    {
        this(displayName, ours, false);
    }

    Subject(final String displayName, final boolean ours, final boolean recorded)
    {
        this.displayName = displayName;
        this.ours = ours;
        this.recorded = recorded;
    }

    /** @return the name printed in tables. */
    public String displayName()
    {
        return displayName;
    }

    /** @return {@code true} for CoopVM's own transports, {@code false} for peers. */
    public boolean ours()
    {
        return ours;
    }

    /**
     * @return {@code true} for a peer figure recorded from published work rather than measured in
     *         the run: it is shown for reference and never chosen as the best peer.
     */
    public boolean recorded()
    {
        return recorded;
    }

    /** @return the identifier used in JSON, e.g. {@code xen-ring}. */
    public String id()
    {
        return Names.kebab(name());
    }
}
