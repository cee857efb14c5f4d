package org.coopvm.perf.sched;

import org.coopvm.hypervisor.sched.Fairness;
import org.coopvm.hypervisor.sched.runtime.VcpuSchedInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fairness on the real runtime: {@value #WORKLOAD} guests of one vCPU each with the weights
 * {@link #WEIGHTS} share the host's slots for a window; each guest's CPU is the CPU time of its
 * vCPU thread ({@code ThreadMXBean}, independent of the scheduler's own books). Shares are judged
 * against what the weights entitle each to of the CPU the guests got in all ({@link Shares}). The
 * notes add the same for the time each guest held a slot (its runstate running): that is the
 * scheduler's decisions alone, the CPU is what Linux then gave the threads holding slots.
 *
 * <p>Thread safety: one thread.
 */
final class FairnessRun
{
    /** The busy workload (examples). */
    static final String WORKLOAD = "cpu-burn";
    /** The weights 256/512/1024, and four equal guests of the default weight. */
    static final int[] WEIGHTS = {256, 512, 1024, 256, 256, 256, 256};

    /**
     * The outcome for one algorithm.
     *
     * @param algorithm   the scheduler.
     * @param jain        Jain's index of achieved / entitled.
     * @param minRatio    the smallest achieved / entitled.
     * @param maxRatio    the largest.
     * @param guestsCpu   CPUs the guests used in all during the window (1.0 = one CPU).
     * @param booksSkew   largest relative difference between a guest's CPU in the scheduler's books
     *                    (schedstat) and in its thread's CPU time.
     * @param enforcement overruns and suspensions during the window.
     * @param perGuest    one line per guest: weight, share achieved, entitled, ratio.
     */
    record Result(String algorithm, double jain, double minRatio, double maxRatio, double guestsCpu, double booksSkew,
        SchedHost.Enforcement enforcement, List<String> perGuest)
    {
    }

    private FairnessRun()
    {
    }

    /**
     * @param host   a host without guests (it has none again afterwards).
     * @param warmup run time before the window.
     * @param window the window.
     * @return the shares.
     */
    static Result measure(final SchedHost host, final Duration warmup, final Duration window)
    {
        try
        {
            final List<SchedHost.Guest> guests = new ArrayList<>();
            for (int i = 0; i < WEIGHTS.length; i++)
            {
                guests.add(host.boot("burn-w" + WEIGHTS[i], 1, WORKLOAD, WEIGHTS[i], true));
            }
            SchedHost.pause(warmup);
            final Sample before = Sample.of(host, guests);
            final SchedHost.Enforcement enforcementBefore = host.enforcement();
            SchedHost.pause(window);
            final Sample after = Sample.of(host, guests);
            return judge(host.algorithm(), guests, before, after, host.enforcement().since(enforcementBefore));
        }
        finally
        {
            host.clearGuests();
        }
    }

    /**
     * What each guest had at one moment.
     *
     * @param atNs  when.
     * @param cpu   its vCPU threads' CPU time (ThreadMXBean).
     * @param books the CPU the scheduler charged it (schedstat).
     * @param slot  the time its vCPUs held a slot (runstate running).
     */
    private record Sample(long atNs, long[] cpu, long[] books, long[] slot)
    {
        static Sample of(final SchedHost host, final List<SchedHost.Guest> guests)
        {
            final int n = guests.size();
            final Sample sample = new Sample(System.nanoTime(), new long[n], new long[n], new long[n]);
            for (int i = 0; i < n; i++)
            {
                sample.cpu[i] = guests.get(i).cpuNs();
                for (final VcpuSchedInfo vcpu : host.cpu().vcpus(guests.get(i).domid()))
                {
                    sample.books[i] += vcpu.cpuNs();
                    sample.slot[i] += vcpu.runningNs();
                }
            }
            return sample;
        }
    }

    private static Result judge(final String algorithm, final List<SchedHost.Guest> guests, final Sample before, final Sample after,
        final SchedHost.Enforcement enforcement)
    {
        final int n = guests.size();
        final double seconds = (after.atNs() - before.atNs()) / 1e9;
        final double[] achieved = new double[n];
        final double[] held = new double[n];
        final double[] maxima = new double[n];
        double total = 0;
        double totalHeld = 0;
        double skew = 0;
        for (int i = 0; i < n; i++)
        {
            final double threads = after.cpu()[i] - before.cpu()[i];
            achieved[i] = threads / 1e9 / seconds;
            held[i] = (after.slot()[i] - before.slot()[i]) / 1e9 / seconds;
            maxima[i] = guests.get(i).vcpus().size();
            total += achieved[i];
            totalHeld += held[i];
            skew = Math.max(skew, threads > 0 ? Math.abs(after.books()[i] - before.books()[i] - threads) / threads : 0);
        }
        if (total <= 0 || totalHeld <= 0)
        {
            throw new IllegalStateException("the guests used no CPU in the window");
        }
        final double[] ratios = Shares.ratios(achieved, Shares.entitled(WEIGHTS, maxima, total));
        final double[] heldRatios = Shares.ratios(held, Shares.entitled(WEIGHTS, maxima, totalHeld));
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            lines.add(String.format(Locale.ROOT, "%s: dom%d weight %d got %.3f of the guests' CPU (%.3f of entitled), held %.3f " +
                "of the slot time (%.3f of entitled)", algorithm, guests.get(i).domid(), WEIGHTS[i], achieved[i] / total, ratios[i],
                held[i] / totalHeld, heldRatios[i]));
        }
        lines.add(String.format(Locale.ROOT, "%s: Jain's index of the slot time held (the scheduler's decisions alone, without " +
            "what Linux gave the threads): %.4f", algorithm, Fairness.jainIndex(heldRatios)));
        return new Result(algorithm, Fairness.jainIndex(ratios), Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0),
            total, skew, enforcement, lines);
    }
}
