package org.coopvm.guest.block;

import java.util.Optional;

/**
 * A virtual disk as a workload sees it: an asynchronous block API over the blkif ring (Linux's
 * blkfront, without the block layer). Submit a request, return, and be told on vCPU 0 when it
 * ends ({@link BlockCompletion}). Requests may be submitted from any thread, as many as wanted:
 * those the ring cannot take yet wait in order in the frontend. Data moves through
 * {@link BlockBuffer}s (guest pages granted to the backend once); a request of more than 11
 * pages is split into several ring requests and completes when all of them have.
 *
 * <p>Sectors are 512 bytes. Writes are durable once a later {@link #flush} has completed (or
 * when written with {@link #writeBarrier}), as on a disk with a volatile write cache.
 *
 * <p>Thread safety: every method, any thread.
 */
public interface BlockDevice
{
    /** Bytes of a sector. */
    int SECTOR_SIZE = 512;

    /** @return the device's name, e.g. {@code xvda}. */
    String name();

    /** @return the virtual device number, e.g. 51712 ({@code device/vbd/<number>}). */
    int number();

    /** @return whether the backend is connected (requests are accepted). */
    boolean isConnected();

    /** @return the disk's size in sectors (0 until connected). */
    long sectors();

    /** @return whether the disk is read-only ({@code VDISK_READONLY}). */
    boolean readOnly();

    /** @return whether the backend serves {@link #flush}. */
    boolean flushSupported();

    /** @return whether the backend serves {@link #writeBarrier}. */
    boolean barrierSupported();

    /** @return whether the backend serves {@link #discard}. */
    boolean discardSupported();

    /** @return entries of the ring (requests the backend can hold at once). */
    int ringEntries();

    /**
     * @return most 4 KiB pages one ring request of a read or write carries: 11, or more when the
     *         backend takes indirect requests (Linux's {@code max_segments} of the disk's queue);
     *         a larger read or write is split into several ring requests.
     */
    int maxSegmentsPerRequest();

    /**
     * @param pages how many 4 KiB pages.
     * @return a buffer granted to the backend, empty when the guest has no free memory or grant
     *         references for it.
     */
    Optional<BlockBuffer> allocateBuffer(int pages);

    /**
     * Give a buffer back: its grants end and its pages are freed (pages the backend still maps are
     * freed once it lets go of them, at the latest when the device disconnects).
     *
     * @param buffer a buffer of this device with no request in flight.
     */
    void freeBuffer(BlockBuffer buffer);

    /**
     * Read sectors into a buffer.
     *
     * @param sector  the first sector on the disk.
     * @param buffer  where the data goes.
     * @param offset  where in the buffer, in bytes (a multiple of 512).
     * @param sectors how many (1 or more).
     * @param done    told when it ends.
     * @return 0 when submitted; {@code -EINVAL} for a range outside the disk or the buffer;
     *         {@code -ENOTCONN} when not connected.
     */
    int read(long sector, BlockBuffer buffer, long offset, int sectors, BlockCompletion done);

    /**
     * Write sectors from a buffer.
     *
     * @param sector  the first sector on the disk.
     * @param buffer  where the data is.
     * @param offset  where in the buffer, in bytes (a multiple of 512).
     * @param sectors how many (1 or more).
     * @param done    told when it ends.
     * @return 0, {@code -EINVAL}, {@code -ENOTCONN}, or {@code -EROFS} on a read-only disk.
     */
    int write(long sector, BlockBuffer buffer, long offset, int sectors, BlockCompletion done);

    /**
     * Write sectors after everything submitted before has completed and is durable, and be
     * durable when done ({@code BLKIF_OP_WRITE_BARRIER}).
     *
     * @param sector  the first sector on the disk.
     * @param buffer  where the data is.
     * @param offset  where in the buffer, in bytes.
     * @param sectors how many.
     * @param done    told when it ends.
     * @return as {@link #write}, or {@code -EOPNOTSUPP} when the backend has no barriers.
     */
    int writeBarrier(long sector, BlockBuffer buffer, long offset, int sectors, BlockCompletion done);

    /**
     * Make every write completed before it durable ({@code BLKIF_OP_FLUSH_DISKCACHE}).
     *
     * @param done told when it ends.
     * @return 0, {@code -ENOTCONN}, {@code -EROFS}, or {@code -EOPNOTSUPP} when the backend has no flush.
     */
    int flush(BlockCompletion done);

    /**
     * Drop sectors' contents ({@code BLKIF_OP_DISCARD}); they read back as zeros.
     *
     * @param sector  the first sector.
     * @param sectors how many.
     * @param done    told when it ends.
     * @return 0, {@code -EINVAL}, {@code -ENOTCONN}, {@code -EROFS}, or {@code -EOPNOTSUPP}.
     */
    int discard(long sector, long sectors, BlockCompletion done);

    /** @return requests submitted and not yet completed. */
    int inFlight();

    /**
     * Detach: the frontend goes Closing; once the backend has let go it goes Closed, and requests
     * still in flight complete with {@code -ENOTCONN}.
     */
    void close();
}
