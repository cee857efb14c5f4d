package org.coopvm.perf.sched;

import org.HdrHistogram.Histogram;
import org.coopvm.perf.latency.RoundTripResult;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Wake-to-run latency on the real runtime: a probe guest ({@link WakeProbeWorkload}) whose vCPU
 * is blocked, next to {@code burners} busy {@code cpu-burn} guests; dom0 raises {@code VIRQ_TIMER}
 * on the probe ({@code Hypervisor.raiseVirq}, what a firing vCPU timer does) and the time from
 * just before the raise to the probe's handler running is recorded (HdrHistogram, ns). One
 * wake-up at a time, each after a random 1-3 ms pause, so the probe is blocked (its slot given
 * back after its idle poll) every time; the pause is random so the wake-ups do not lock onto the
 * slices or ticks.
 *
 * <p>Thread safety: one thread.
 */
final class WakeLatencyRun
{
    private static final long MIN_GAP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_GAP_NS = TimeUnit.MILLISECONDS.toNanos(3);
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration HANDLER_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_NS = TimeUnit.MICROSECONDS.toNanos(100);

    /**
     * @param latency     the recorded wake-ups.
     * @param enforcement overruns and suspensions while they were recorded.
     */
    record Result(RoundTripResult latency, SchedHost.Enforcement enforcement)
    {
    }

    private WakeLatencyRun()
    {
    }

    /**
     * @param host     a host without guests (it has none again afterwards).
     * @param burners  busy guests next to the probe.
     * @param useSlots whether the guests play by CPU slots (false: Linux alone shares the cores).
     * @param warmup   wake-ups not recorded, as time.
     * @param window   recorded wake-ups, as time.
     * @param seed     the pauses' seed.
     * @return the latencies.
     */
    static Result measure(final SchedHost host, final int burners, final boolean useSlots, final Duration warmup, final Duration window,
        final long seed)
    {
        final Path file = host.dir().resolve(WakeProbeDescriptor.FILE_NAME);
        try (WakeProbeControl control = WakeProbeControl.create(host.dir()))
        {
            for (int i = 0; i < burners; i++)
            {
                host.boot("burn", 1, FairnessRun.WORKLOAD, 256, useSlots);
            }
            final SchedHost.Guest probe = host.boot("probe", 1, WakeProbeWorkload.NAME, 256, useSlots);
            awaitPort(host, control);
            final SplittableRandom random = new SplittableRandom(seed);
            final Histogram histogram = new Histogram(HIGHEST_NS, 3);
            wakeUps(host, probe.domid(), control, random, warmup, null);
            final SchedHost.Enforcement before = host.enforcement();
            wakeUps(host, probe.domid(), control, random, window, histogram);
            return new Result(RoundTripResult.of(histogram), host.enforcement().since(before));
        }
        finally
        {
            host.clearGuests();
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + file, ex);
        }
    }

    private static void wakeUps(final SchedHost host, final int domid, final WakeProbeControl control, final SplittableRandom random,
        final Duration duration, final Histogram into)
    {
        final long endNs = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - endNs < 0)
        {
            LockSupport.parkNanos(random.nextLong(MIN_GAP_NS, MAX_GAP_NS));
            final long handled = control.handledVolatile();
            final long raisedNs = System.nanoTime();
            if (!host.hypervisor().raiseVirq(domid, EventChannelOpDescriptor.VIRQ_TIMER, 0))
            {
                throw new IllegalStateException("the probe's VIRQ_TIMER is not bound");
            }
            awaitHandled(host, control, handled);
            if (into != null)
            {
                into.recordValue(Math.min(HIGHEST_NS, Math.max(0, control.handlerNs() - raisedNs)));
            }
        }
    }

    private static void awaitHandled(final SchedHost host, final WakeProbeControl control, final long before)
    {
        final long deadlineNs = System.nanoTime() + HANDLER_TIMEOUT.toNanos();
        while (control.handledVolatile() == before)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("the probe's handler did not run within " + HANDLER_TIMEOUT + "; console: " +
                    host.consoleTail());
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }

    private static void awaitPort(final SchedHost host, final WakeProbeControl control)
    {
        final long deadlineNs = System.nanoTime() + HANDLER_TIMEOUT.toNanos();
        while (control.portVolatile() == 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("the probe did not bind its virq within " + HANDLER_TIMEOUT + "; console: " +
                    host.consoleTail());
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }
}
