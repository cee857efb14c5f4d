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
 * slices or ticks. One instance per setup compared, measured in {@link #round rounds} that take
 * turns with the other setups' rounds.
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

    private final SchedHost host;
    private final int burners;
    private final boolean useSlots;
    private final SplittableRandom random;
    private final Histogram histogram = new Histogram(HIGHEST_NS, 3);
    private SchedHost.Enforcement enforcement = new SchedHost.Enforcement(0, 0);

    /**
     * @param host     a host without guests, kept for this setup's rounds.
     * @param burners  busy guests next to the probe.
     * @param useSlots whether the guests play by CPU slots (false: Linux alone shares the cores).
     * @param seed     the pauses' seed.
     */
    WakeLatencyRun(final SchedHost host, final int burners, final boolean useSlots, final long seed)
    {
        this.host = host;
        this.burners = burners;
        this.useSlots = useSlots;
        this.random = new SplittableRandom(seed);
    }

    /**
     * One round: boot the burners and the probe, wake it for {@code warmup} unrecorded, then for
     * {@code window} recorded (added to the earlier rounds'), and destroy the guests again. Rounds of
     * the setups compared take turns, so each sees the same background load.
     *
     * @param warmup wake-ups not recorded, as time.
     * @param window recorded wake-ups, as time.
     * @return this round's median, ns.
     */
    long round(final Duration warmup, final Duration window)
    {
        final Path file = host.dir().resolve(WakeProbeDescriptor.FILE_NAME);
        try (WakeProbeControl control = WakeProbeControl.create(host.dir()))
        {
            for (int i = 0; i < burners; i++)
            {
                host.boot("burn", 1, FairnessRun.WORKLOAD, 256, useSlots);
            }
            final SchedHost.Guest probe = host.boot("probe", 1, WakeProbeWorkload.NAME, 256, useSlots);
            awaitPort(control);
            wakeUps(probe.domid(), control, warmup, null);
            final SchedHost.Enforcement before = host.enforcement();
            final Histogram round = new Histogram(HIGHEST_NS, 3);
            wakeUps(probe.domid(), control, window, round);
            enforcement = enforcement.plus(host.enforcement().since(before));
            histogram.add(round);
            return round.getValueAtPercentile(50);
        }
        finally
        {
            host.clearGuests();
            deleteQuietly(file);
        }
    }

    /** @return the setup in words: algorithm, slots, load, slots off. */
    String describe()
    {
        return host.algorithm() + ", " + host.cpu().settings().slots() + " slot(s), " + burners + " cpu-burn guest(s)" +
            (useSlots ? "" : ", slots off");
    }

    /** @return the wake-ups recorded in all rounds so far. */
    RoundTripResult latency()
    {
        return RoundTripResult.of(histogram);
    }

    /** @return overruns and suspensions while they were recorded. */
    SchedHost.Enforcement enforcement()
    {
        return enforcement;
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

    private void wakeUps(final int domid, final WakeProbeControl control, final Duration duration, final Histogram into)
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
            awaitHandled(control, handled);
            if (into != null)
            {
                into.recordValue(Math.min(HIGHEST_NS, Math.max(0, control.handlerNs() - raisedNs)));
            }
        }
    }

    private void awaitHandled(final WakeProbeControl control, final long before)
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

    private void awaitPort(final WakeProbeControl control)
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
