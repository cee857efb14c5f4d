package org.coopvm.examples.workload;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code cache} workload's task: wakes every tick, serves the requests the pacer owes (a
 * bounded batch), publishes the figures every {@value #PUBLISH_PERIOD_MS} ms and logs them every
 * {@value #LOG_PERIOD_MS} ms, then sleeps on its timer until the next tick.
 *
 * <p>Thread safety: runs on the vCPU it was submitted to, one step at a time.
 */
final class CacheTask implements Task
{
    /** Period of the xenstore figures. */
    static final long PUBLISH_PERIOD_MS = 1000;
    /** Period of the console line. */
    static final long LOG_PERIOD_MS = 10_000;
    /** Publish periods the recent hit ratio spans. */
    static final int WINDOW_PERIODS = 10;

    private final GuestContext ctx;
    private final CacheConfig config;
    private final CacheStore store;
    private final KeyStream keys;
    private final HitWindow window = new HitWindow(WINDOW_PERIODS);
    private final FigurePublisher publisher;
    private RequestPacer pacer;
    private long nextPublishNs;
    private long nextLogNs;

    CacheTask(final GuestContext ctx, final CacheConfig config, final CacheStore store)
    {
        this.ctx = ctx;
        this.config = config;
        this.store = store;
        this.keys = config.keyStream();
        this.publisher = new FigurePublisher(ctx.xenstore(), "data/cache", ctx.console());
    }

    @Override
    public StepResult step(final TaskContext task)
    {
        final long nowNs = task.nowNs();
        if (pacer == null)
        {
            pacer = new RequestPacer(config.ratePerSecond(), config.maxBatch(), nowNs);
            nextPublishNs = nowNs + TimeUnit.MILLISECONDS.toNanos(PUBLISH_PERIOD_MS);
            nextLogNs = nowNs + TimeUnit.MILLISECONDS.toNanos(LOG_PERIOD_MS);
        }
        serve(pacer.due(nowNs));
        if (nowNs - nextPublishNs >= 0)
        {
            nextPublishNs = Periods.next(nextPublishNs, PUBLISH_PERIOD_MS, nowNs);
            publish();
        }
        if (nowNs - nextLogNs >= 0)
        {
            nextLogNs = Periods.next(nextLogNs, LOG_PERIOD_MS, nowNs);
            ctx.console().log(logLine(store.figures()));
        }
        task.wakeAfter(TimeUnit.MILLISECONDS.toNanos(config.tickMs()));
        return StepResult.BLOCK;
    }

    private void serve(final int requests)
    {
        for (int i = 0; i < requests; i++)
        {
            store.request(keys.nextKey());
        }
    }

    private void publish()
    {
        final CacheFigures figures = store.figures();
        window.roll(figures.hits(), figures.requests());
        final Map<String, String> nodes = new LinkedHashMap<>();
        nodes.put("hit-ratio", ratio(window.ratio()));
        nodes.put("hit-ratio-total", ratio(figures.hitRatio()));
        nodes.put("requests", Long.toString(figures.requests()));
        nodes.put("hits", Long.toString(figures.hits()));
        nodes.put("entries", Long.toString(figures.entries()));
        nodes.put("bytes", Long.toString(figures.heldBytes()));
        nodes.put("evictions", Long.toString(figures.evictions()));
        nodes.put("reclaimed-bytes", Long.toString(figures.reclaimedBytes()));
        nodes.put("bad-values", Long.toString(figures.badValues()));
        publisher.publish(nodes);
    }

    private String logLine(final CacheFigures figures)
    {
        return String.format(Locale.ROOT,
            "cache: hit ratio %.1f%% (last %d s), %.1f%% since start; %d entries in %d MiB; %d evictions; %d MiB reclaimed%s%s",
            100 * window.ratio(), WINDOW_PERIODS * PUBLISH_PERIOD_MS / 1000, 100 * figures.hitRatio(), figures.entries(),
            figures.heldBytes() >> 20, figures.evictions(), figures.reclaimedBytes() >> 20,
            pacer.dropped() > 0 ? "; " + pacer.dropped() + " requests dropped (fell behind)" : "",
            figures.badValues() > 0 ? "; " + figures.badValues() + " BAD VALUES" : "");
    }

    private static String ratio(final double ratio)
    {
        return String.format(Locale.ROOT, "%.4f", ratio);
    }
}
