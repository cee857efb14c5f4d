package org.coopvm.perf.block;

import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.Subject;

/**
 * One case of the block benchmark: a block size, random or sequential offsets, read or write, the
 * subject it is for ours (through the split driver) and for the direct {@code FileChannel} peer,
 * and the metric its goal compares. Immutable; any thread.
 *
 * @param name       short name for progress lines, e.g. {@code 4k-randread}.
 * @param blockBytes bytes per request.
 * @param random     random offsets (else sequential).
 * @param write      writes (else reads).
 * @param ours       the subject through blkfront and blkback.
 * @param direct     the subject of the direct peer.
 * @param metric     the metric the goal compares (ops/s or MB/s).
 */
record IoCase(String name, int blockBytes, boolean random, boolean write, Subject ours, Subject direct, Metric metric)
{
    static final IoCase RANDREAD_4K = new IoCase("4k-randread", 4096, true, false, Subject.BLOCK_RANDREAD_4K,
        Subject.DIRECT_RANDREAD_4K, Metric.OPS_PER_SECOND);
    static final IoCase RANDWRITE_4K = new IoCase("4k-randwrite", 4096, true, true, Subject.BLOCK_RANDWRITE_4K,
        Subject.DIRECT_RANDWRITE_4K, Metric.OPS_PER_SECOND);
    static final IoCase SEQREAD_64K = new IoCase("64k-seqread", 65536, false, false, Subject.BLOCK_SEQREAD_64K,
        Subject.DIRECT_SEQREAD_64K, Metric.MB_PER_SECOND);
    static final IoCase SEQWRITE_64K = new IoCase("64k-seqwrite", 65536, false, true, Subject.BLOCK_SEQWRITE_64K,
        Subject.DIRECT_SEQWRITE_64K, Metric.MB_PER_SECOND);
    static final IoCase[] ALL = {RANDREAD_4K, RANDWRITE_4K, SEQREAD_64K, SEQWRITE_64K};

    /**
     * A measured run of a case.
     *
     * @param ops     requests completed.
     * @param seconds from the first submission to the last completion.
     * @param errors  requests that failed.
     */
    record Result(long ops, double seconds, long errors)
    {
        double opsPerSecond()
        {
            return ops / seconds;
        }

        double megabytesPerSecond(final int blockBytes)
        {
            return ops * (double)blockBytes / seconds / 1e6;
        }
    }
}
