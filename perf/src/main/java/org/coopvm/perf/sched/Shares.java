package org.coopvm.perf.sched;

/**
 * The arithmetic of fairness. Entitlements follow the weights (weighted max-min fairness, what a
 * proportional-share scheduler promises): the CPU the guests got in all is shared in proportion
 * to their weights, except that a guest cannot use more than one CPU per vCPU, so what a guest
 * cannot use goes to the others, again by weight ("water filling"). Jain's index of the ratios
 * achieved / entitled is {@code (sum x)^2 / (n * sum x^2)}: 1.0 when every guest got exactly its
 * entitlement, 1/n when one guest got everything. Stateless; any thread.
 */
final class Shares
{
    private Shares()
    {
    }

    /**
     * @param weights  each guest's weight, > 0.
     * @param maxima   the most each guest can use (its vCPUs, in CPUs), > 0.
     * @param capacity what there is to share (the CPUs the guests used in all), >= 0.
     * @return each guest's entitlement, in the unit of {@code capacity}.
     */
    static double[] entitled(final int[] weights, final double[] maxima, final double capacity)
    {
        final int n = weights.length;
        final double[] share = new double[n];
        final boolean[] full = new boolean[n];
        double left = capacity;
        boolean changed = true;
        while (changed && left > 1e-12)
        {
            changed = false;
            double weightLeft = 0;
            for (int i = 0; i < n; i++)
            {
                weightLeft += full[i] ? 0 : weights[i];
            }
            if (weightLeft == 0)
            {
                break;
            }
            final double perWeight = left / weightLeft;
            for (int i = 0; i < n; i++)
            {
                if (!full[i] && share[i] + perWeight * weights[i] >= maxima[i])
                {
                    left -= maxima[i] - share[i];
                    share[i] = maxima[i];
                    full[i] = true;
                    changed = true;
                }
            }
            if (!changed)
            {
                for (int i = 0; i < n; i++)
                {
                    share[i] += full[i] ? 0 : perWeight * weights[i];
                }
                left = 0;
            }
        }
        return share;
    }

    /**
     * @param achieved what each guest got.
     * @param entitled what each was entitled to (> 0).
     * @return achieved / entitled per guest.
     */
    static double[] ratios(final double[] achieved, final double[] entitled)
    {
        final double[] ratios = new double[achieved.length];
        for (int i = 0; i < ratios.length; i++)
        {
            ratios[i] = achieved[i] / entitled[i];
        }
        return ratios;
    }
}
