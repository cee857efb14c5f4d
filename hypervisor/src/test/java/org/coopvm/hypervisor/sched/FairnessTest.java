package org.coopvm.hypervisor.sched;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FairnessTest
{
    @Test
    void jainIsOneWhenEveryoneGetsTheirEntitlementAndOneOverNWhenOneGetsAll()
    {
        assertThat(Fairness.jainIndex(new double[] {1, 1, 1, 1})).isCloseTo(1.0, within(1e-12));
        assertThat(Fairness.jainIndex(new double[] {4, 0, 0, 0})).isCloseTo(0.25, within(1e-12));
        assertThat(Fairness.jainIndex(new double[] {0.5, 1.5})).isCloseTo(0.8, within(1e-12));
        assertThat(Fairness.jainIndex(new double[] {0, 0})).isZero();
    }
}
