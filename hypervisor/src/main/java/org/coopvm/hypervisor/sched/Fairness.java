package org.coopvm.hypervisor.sched;

/**
 * Fairness measures for comparing schedulers: what the scheduler tests and {@code coop bench sched}
 * report, and what a researcher comparing policies would compute the same way.
 *
 * <p>Thread safety: stateless.
 */
public final class Fairness
{
    private Fairness()
    {
    }

    /**
     * Jain's fairness index, {@code (sum x)^2 / (n * sum x^2)}: 1 when all values are equal, 1/n
     * when one has everything. Give it achieved / entitled ratios to judge weighted shares.
     *
     * @param x the values; none negative.
     * @return the index, or 0 when every value is 0 (or there are none).
     */
    public static double jainIndex(final double[] x)
    {
        double sum = 0;
        double squares = 0;
        for (final double v : x)
        {
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? 0 : sum * sum / (x.length * squares);
    }
}
