package org.coopvm.perf.sched;

import org.coopvm.hypervisor.sched.Fairness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fairness arithmetic the report's Jain index rests on. */
class SharesTest
{
    @Test
    void weightsShareOneSlotInProportion()
    {
        final double[] entitled = Shares.entitled(new int[] {256, 512, 1024}, new double[] {1, 1, 1}, 1.0);

        assertThat(entitled[0]).isCloseTo(1.0 / 7, within(1e-9));
        assertThat(entitled[1]).isCloseTo(2.0 / 7, within(1e-9));
        assertThat(entitled[2]).isCloseTo(4.0 / 7, within(1e-9));
    }

    @Test
    void aGuestCannotBeEntitledToMoreThanItsVcpusAndTheRestGoesToTheOthersByWeight()
    {
        final double[] entitled = Shares.entitled(new int[] {256, 512, 1024}, new double[] {1, 1, 1}, 2.0);

        assertThat(entitled[2]).as("4/7 of 2 CPUs is more than its one vCPU can use").isCloseTo(1.0, within(1e-9));
        assertThat(entitled[0]).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(entitled[1]).isCloseTo(2.0 / 3, within(1e-9));
    }

    @Test
    void ratiosAreAchievedOverEntitledAndTheirJainIndexIsFairnessOfTheWeightedShares()
    {
        final double[] ratios = Shares.ratios(new double[] {0.1, 0.3}, new double[] {0.2, 0.2});

        assertThat(ratios).containsExactly(new double[] {0.5, 1.5}, within(1e-12));
        assertThat(Fairness.jainIndex(ratios)).isCloseTo(0.8, within(1e-12));
    }
}
