package org.coopvm.perf.hypercall;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.perf.latency.RoundTripResult;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.coopvm.perf.hypercall.BenchControlDescriptor.RESULT_COUNT_OFFSET;
import static org.coopvm.perf.hypercall.BenchControlDescriptor.RESULT_MAX_OFFSET;
import static org.coopvm.perf.hypercall.BenchControlDescriptor.RESULT_P50_OFFSET;
import static org.coopvm.perf.hypercall.BenchControlDescriptor.RESULT_P999_OFFSET;
import static org.coopvm.perf.hypercall.BenchControlDescriptor.RESULT_P99_OFFSET;

/**
 * The control file ({@link BenchControlDescriptor}) of one benchmark run: created by the
 * benchmark JVM, attached by the guests' benchmark workloads. Each field has one writer (see the
 * descriptor); any thread may read.
 */
final class BenchControl implements AutoCloseable
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final SharedRegion region;
    private final AtomicBuffer buffer;

    private BenchControl(final SharedRegion region)
    {
        this.region = region;
        this.buffer = region.payloadBuffer();
    }

    static BenchControl create(final Path runDir)
    {
        return new BenchControl(SharedRegion.createFile(file(runDir), RegionType.RAW, 0, BenchControlDescriptor.CONTROL_LENGTH));
    }

    static BenchControl attach(final Path runDir)
    {
        return new BenchControl(SharedRegion.attachFile(file(runDir), RegionType.RAW));
    }

    static Path file(final Path runDir)
    {
        return runDir.resolve(BenchControlDescriptor.FILE_NAME);
    }

    static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    static void record(final Histogram histogram, final long valueNs)
    {
        histogram.recordValue(Math.max(0, Math.min(valueNs, HIGHEST_TRACKABLE_NS)));
    }

    AtomicBuffer buffer()
    {
        return buffer;
    }

    void guestDomid(final int index, final int domid)
    {
        buffer.putIntRelease(domidOffset(index), domid);
    }

    int guestDomid(final int index)
    {
        return buffer.getIntVolatile(domidOffset(index));
    }

    int status()
    {
        return buffer.getIntVolatile(BenchControlDescriptor.STATUS_OFFSET);
    }

    /** Write both results, then DONE (release): the benchmark reads them after that. */
    void publishResults(final Histogram roundTrips, final Histogram oneWay)
    {
        putResult(BenchControlDescriptor.ROUND_TRIP_RESULT_OFFSET, RoundTripResult.of(roundTrips));
        putResult(BenchControlDescriptor.ONE_WAY_RESULT_OFFSET, RoundTripResult.of(oneWay));
        buffer.putIntRelease(BenchControlDescriptor.STATUS_OFFSET, BenchControlDescriptor.DONE);
    }

    void fail()
    {
        buffer.putIntRelease(BenchControlDescriptor.STATUS_OFFSET, BenchControlDescriptor.FAILED);
    }

    RoundTripResult result(final int resultOffset)
    {
        return new RoundTripResult(
            buffer.getLongVolatile(resultOffset + RESULT_COUNT_OFFSET),
            buffer.getLongVolatile(resultOffset + RESULT_P50_OFFSET),
            buffer.getLongVolatile(resultOffset + RESULT_P99_OFFSET),
            buffer.getLongVolatile(resultOffset + RESULT_P999_OFFSET),
            buffer.getLongVolatile(resultOffset + RESULT_MAX_OFFSET));
    }

    private static int domidOffset(final int index)
    {
        if (index < 0 || index >= BenchControlDescriptor.MAX_GUESTS)
        {
            throw new IllegalArgumentException("guest index " + index + " outside 0.." + (BenchControlDescriptor.MAX_GUESTS - 1));
        }
        return BenchControlDescriptor.GUEST_DOMID_OFFSET + 4 * index;
    }

    private void putResult(final int resultOffset, final RoundTripResult result)
    {
        buffer.putLong(resultOffset + RESULT_COUNT_OFFSET, result.roundTrips());
        buffer.putLong(resultOffset + RESULT_P50_OFFSET, result.p50Ns());
        buffer.putLong(resultOffset + RESULT_P99_OFFSET, result.p99Ns());
        buffer.putLong(resultOffset + RESULT_P999_OFFSET, result.p999Ns());
        buffer.putLong(resultOffset + RESULT_MAX_OFFSET, result.maxNs());
    }

    /** Unmaps; the creator (the benchmark JVM) also deletes the file. */
    @Override
    public void close()
    {
        region.close();
    }
}
