package org.coopvm.perf.sched;

import org.coopvm.hypervisor.sched.runtime.VcpuSchedInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fairness on the real runtime: {@value #WORKLOAD} guests of one vCPU each with the weights
 * {@link #WEIGHTS} share the host's slots for a window; each guest's CPU is the CPU time of its
 * vCPU thread ({@code ThreadMXBean}, independent of the scheduler's own books). Shares are judged
 * against what the weights entitle each to of the CPU the guests got in all ({@link Shares}).
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
            final long[] cpuBefore = cpu(guests);
            final long[] booksBefore = books(host, guests);
            final SchedHost.Enforcement enforcementBefore = host.enforcement();
            final long startNs = System.nanoTime();
            SchedHost.pause(window);
            final long[] cpuAfter = cpu(guests);
            final long[] booksAfter = books(host, guests);
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            return judge(host.algorithm(), guests, new long[][] {cpuBefore, cpuAfter, booksBefore, booksAfter}, seconds,
                host.enforcement().since(enforcementBefore));
        }
        finally
        {
            host.clearGuests();
        }
    }

    /** @param cpu the threads' CPU before and after, the books' before and after. */
    private static Result judge(final String algorithm, final List<SchedHost.Guest> guests, final long[][] cpu, final double seconds,
        final SchedHost.Enforcement enforcement)
    {
        final long[] cpuBefore = cpu[0];
        final long[] cpuAfter = cpu[1];
        final long[] booksBefore = cpu[2];
        final long[] booksAfter = cpu[3];
        final int n = guests.size();
        final double[] achieved = new double[n];
        final double[] maxima = new double[n];
        double total = 0;
        double skew = 0;
        for (int i = 0; i < n; i++)
        {
            achieved[i] = (cpuAfter[i] - cpuBefore[i]) / 1e9 / seconds;
            maxima[i] = guests.get(i).vcpus().size();
            total += achieved[i];
            final double books = booksAfter[i] - booksBefore[i];
            final double threads = cpuAfter[i] - cpuBefore[i];
            skew = Math.max(skew, threads > 0 ? Math.abs(books - threads) / threads : 0);
        }
        if (total <= 0)
        {
            throw new IllegalStateException("the guests used no CPU in the window");
        }
        final double[] entitled = Shares.entitled(WEIGHTS, maxima, total);
        final double[] ratios = Shares.ratios(achieved, entitled);
        final List<String> lines = new ArrayList<>();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < n; i++)
        {
            min = Math.min(min, ratios[i]);
            max = Math.max(max, ratios[i]);
            lines.add(String.format(Locale.ROOT, "%s: dom%d weight %d got %.3f of the guests' CPU, entitled %.3f, ratio %.3f",
                algorithm, guests.get(i).domid(), WEIGHTS[i], achieved[i] / total, entitled[i] / total, ratios[i]));
        }
        return new Result(algorithm, Shares.jain(ratios), min, max, total, skew, enforcement, lines);
    }

    private static long[] cpu(final List<SchedHost.Guest> guests)
    {
        final long[] cpu = new long[guests.size()];
        for (int i = 0; i < cpu.length; i++)
        {
            cpu[i] = guests.get(i).cpuNs();
        }
        return cpu;
    }

    /** @return each guest's CPU in the scheduler's books (charged from schedstat). */
    private static long[] books(final SchedHost host, final List<SchedHost.Guest> guests)
    {
        final long[] cpu = new long[guests.size()];
        for (int i = 0; i < cpu.length; i++)
        {
            for (final VcpuSchedInfo vcpu : host.cpu().vcpus(guests.get(i).domid()))
            {
                cpu[i] += vcpu.cpuNs();
            }
        }
        return cpu;
    }
}
