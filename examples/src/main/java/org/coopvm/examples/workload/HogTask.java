package org.coopvm.examples.workload;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code hog} workload's task: every tick it reads the demand off the profile, lets the
 * driver follow it and touch its pages, publishes the figures every
 * {@value CacheTask#PUBLISH_PERIOD_MS} ms and logs them every {@value CacheTask#LOG_PERIOD_MS} ms,
 * then sleeps on its timer.
 *
 * <p>Thread safety: runs on the vCPU it was submitted to, one step at a time.
 */
final class HogTask implements Task
{
    private final GuestContext ctx;
    private final HogConfig config;
    private final HogDriver driver;
    private final FigurePublisher publisher;
    private long startNs = Long.MIN_VALUE;
    private long nextPublishNs;
    private long nextLogNs;
    private long nextOomLogNs;
    private long demandChunks;
    private long touchNs;

    HogTask(final GuestContext ctx, final HogConfig config, final HogDriver driver)
    {
        this.ctx = ctx;
        this.config = config;
        this.driver = driver;
        this.publisher = new FigurePublisher(ctx.xenstore(), "data/hog", ctx.console());
    }

    @Override
    public StepResult step(final TaskContext task)
    {
        final long nowNs = task.nowNs();
        if (startNs == Long.MIN_VALUE)
        {
            startNs = nowNs;
            nextPublishNs = nowNs;
            nextLogNs = nowNs + TimeUnit.MILLISECONDS.toNanos(CacheTask.LOG_PERIOD_MS);
            nextOomLogNs = nowNs;
        }
        demandChunks = HogDriver.chunksFor(config.profile().demandMib((nowNs - startNs) / 1e9));
        if (!driver.follow(demandChunks) && nowNs - nextOomLogNs >= 0)
        {
            nextOomLogNs = nowNs + TimeUnit.MILLISECONDS.toNanos(CacheTask.LOG_PERIOD_MS);
            ctx.console().log("hog: out of memory holding " + driver.heldMib() + " MiB of a demand of " + demandMib() + " MiB (" +
                driver.oomEvents() + " event(s) so far); retrying every tick");
        }
        final long touchStartNs = System.nanoTime();
        driver.touch();
        touchNs = System.nanoTime() - touchStartNs;
        periodic(nowNs);
        task.wakeAfter(TimeUnit.MILLISECONDS.toNanos(config.tickMs()));
        return StepResult.BLOCK;
    }

    private void periodic(final long nowNs)
    {
        if (nowNs - nextPublishNs >= 0)
        {
            nextPublishNs = Periods.next(nextPublishNs, CacheTask.PUBLISH_PERIOD_MS, nowNs);
            final Map<String, String> nodes = new LinkedHashMap<>();
            nodes.put("demand-mib", Long.toString(demandMib()));
            nodes.put("held-mib", Long.toString(driver.heldMib()));
            nodes.put("oom-events", Long.toString(driver.oomEvents()));
            nodes.put("touch-errors", Long.toString(driver.touchErrors()));
            nodes.put("touch-us", Long.toString(touchNs / 1000));
            publisher.publish(nodes);
        }
        if (nowNs - nextLogNs >= 0)
        {
            nextLogNs = Periods.next(nextLogNs, CacheTask.LOG_PERIOD_MS, nowNs);
            ctx.console().log("hog: demand " + demandMib() + " MiB, holding " + driver.heldMib() + " MiB, " + driver.oomEvents() +
                " out-of-memory event(s)" + (driver.touchErrors() > 0 ? ", " + driver.touchErrors() + " TOUCH ERRORS" : ""));
        }
    }

    private long demandMib()
    {
        return demandChunks * HogDriver.CHUNK_MIB;
    }
}
