package org.coopvm.examples.workload;

import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code hog} workload's demand over time: MiB wanted {@code seconds} after the start.
 * Every profile is defined for all {@code seconds >= 0} and never negative: before its first
 * point it holds its first value, after its last it holds its last (a sine goes on for ever).
 *
 * <p>Thread safety: immutable.
 */
sealed interface HogProfile permits HogProfile.Ramp, HogProfile.Steps, HogProfile.Sine, HogProfile.Trace
{
    /**
     * @param seconds time since the start, at least 0.
     * @return demand in MiB, at least 0.
     */
    double demandMib(double seconds);

    /** @return a one-line description for the console. */
    String describe();

    /**
     * {@code ramp}: a straight line from {@code fromMib} to {@code toMib} over {@code overS}
     * seconds, then {@code toMib}.
     *
     * @param fromMib demand at 0 s.
     * @param toMib   demand from {@code overS} on.
     * @param overS   length of the ramp, above 0.
     */
    record Ramp(double fromMib, double toMib, double overS) implements HogProfile
    {
        @Override
        public double demandMib(final double seconds)
        {
            return seconds >= overS ? toMib : fromMib + (toMib - fromMib) * Math.max(0, seconds) / overS;
        }

        @Override
        public String describe()
        {
            return "ramp " + mib(fromMib) + " -> " + mib(toMib) + " MiB over " + mib(overS) + " s";
        }
    }

    /**
     * {@code step}: level {@code i} for {@code durations[i]} seconds, one after the other, then the
     * last level.
     */
    final class Steps implements HogProfile
    {
        private final double[] levelsMib;
        private final double[] endsS;

        /**
         * @param levelsMib the levels, at least one.
         * @param durationsS how long each lasts, as many as levels, each above 0.
         */
        Steps(final double[] levelsMib, final double[] durationsS)
        {
            if (levelsMib.length == 0 || levelsMib.length != durationsS.length)
            {
                throw new IllegalArgumentException("a step profile needs as many durations as levels, at least one");
            }
            this.levelsMib = levelsMib.clone();
            this.endsS = new double[durationsS.length];
            double end = 0;
            for (int i = 0; i < durationsS.length; i++)
            {
                end += durationsS[i];
                endsS[i] = end;
            }
        }

        @Override
        public double demandMib(final double seconds)
        {
            for (int i = 0; i < endsS.length; i++)
            {
                if (seconds < endsS[i])
                {
                    return levelsMib[i];
                }
            }
            return levelsMib[levelsMib.length - 1];
        }

        @Override
        public String describe()
        {
            return "steps " + Arrays.stream(levelsMib).mapToObj(HogProfile::mib).toList() + " MiB ending at " +
                Arrays.stream(endsS).mapToObj(HogProfile::mib).toList() + " s";
        }
    }

    /**
     * {@code sine}: {@code meanMib + amplitudeMib * sin(2 pi t / periodS)}: starts at the mean,
     * rises to the peak at a quarter period, falls to the trough at three quarters.
     *
     * @param meanMib      the mean.
     * @param amplitudeMib the amplitude, at most the mean.
     * @param periodS      the period, above 0.
     */
    record Sine(double meanMib, double amplitudeMib, double periodS) implements HogProfile
    {
        @Override
        public double demandMib(final double seconds)
        {
            return Math.max(0, meanMib + amplitudeMib * Math.sin(2 * Math.PI * seconds / periodS));
        }

        @Override
        public String describe()
        {
            return "sine " + mib(meanMib) + " +- " + mib(amplitudeMib) + " MiB, period " + mib(periodS) + " s";
        }
    }

    /**
     * {@code csv}: a trace of {@code (seconds, MiB)} points with increasing times, read by
     * {@link DemandTrace}; between two points the demand is interpolated linearly, or (step) holds
     * the earlier point's value.
     */
    final class Trace implements HogProfile
    {
        private final double[] seconds;
        private final double[] mib;
        private final boolean linear;
        private final String source;

        /**
         * @param seconds point times, strictly increasing, at least one.
         * @param mib     demand at each point.
         * @param linear  interpolate between points (else hold the earlier one).
         * @param source  where the points came from, for the description.
         */
        Trace(final double[] seconds, final double[] mib, final boolean linear, final String source)
        {
            if (seconds.length == 0 || seconds.length != mib.length)
            {
                throw new IllegalArgumentException("a trace needs as many values as times, at least one");
            }
            this.seconds = seconds.clone();
            this.mib = mib.clone();
            this.linear = linear;
            this.source = source;
        }

        @Override
        public double demandMib(final double at)
        {
            final int found = Arrays.binarySearch(seconds, at);
            if (found >= 0)
            {
                return mib[found];
            }
            final int after = -found - 1;
            if (after == 0)
            {
                return mib[0];
            }
            if (after == seconds.length || !linear)
            {
                return mib[after - 1];
            }
            final double fraction = (at - seconds[after - 1]) / (seconds[after] - seconds[after - 1]);
            return mib[after - 1] + (mib[after] - mib[after - 1]) * fraction;
        }

        @Override
        public String describe()
        {
            return "trace " + source + ": " + seconds.length + " points over " + mib(seconds[seconds.length - 1]) + " s, " +
                (linear ? "interpolated linearly" : "stepwise");
        }
    }

    private static String mib(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
