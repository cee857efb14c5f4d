package org.coopvm.guest.stats;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.rings.balloon.BalloonStatsSample;
import org.coopvm.rings.balloon.BalloonStatsWriter;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The kernel task that publishes the domain's memory stats (virtio-balloon's stats queue, as a
 * shared region): one publish, then it arms its timer for one period later and blocks; the vCPU
 * sleeps in between (no polling). A wake before the deadline (spurious) re-arms without
 * publishing. Publish times are the kernel clock ({@code System.nanoTime()}, CLOCK_MONOTONIC),
 * which dom0 compares with its own.
 *
 * <p>Thread safety: runs on the vCPU it was submitted to; {@link #publishes()} from any thread.
 */
public final class StatsPublisher implements Task
{
    private final BalloonStatsWriter writer;
    private final StatsSource source;
    private final int periodMs;
    private final long periodNs;
    private final BalloonStatsSample sample = new BalloonStatsSample();
    private long nextDueNs;
    private boolean started;
    private volatile long publishes;

    /**
     * @param statsPayload the BALLOON_STATS region's payload.
     * @param source       what to publish.
     * @param periodMs     the period, within the region's 10..60000 ms.
     */
    public StatsPublisher(final MemorySegment statsPayload, final StatsSource source, final long periodMs)
    {
        this.writer = new BalloonStatsWriter().wrap(statsPayload);
        this.source = source;
        this.periodMs = (int)periodMs;
        this.periodNs = TimeUnit.MILLISECONDS.toNanos(periodMs);
    }

    @Override
    public StepResult step(final TaskContext ctx)
    {
        final long nowNs = ctx.nowNs();
        if (!started || nowNs - nextDueNs >= 0)
        {
            source.sample(sample.clear());
            writer.publish(sample, nowNs, periodMs);
            publishes++;
            started = true;
            nextDueNs = nowNs + periodNs;
        }
        ctx.wakeAt(nextDueNs);
        return StepResult.BLOCK;
    }

    /** @return samples published so far. */
    public long publishes()
    {
        return publishes;
    }
}
