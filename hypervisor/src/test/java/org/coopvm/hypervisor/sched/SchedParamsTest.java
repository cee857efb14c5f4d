package org.coopvm.hypervisor.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** What {@code coop sched-credit} and the host config show for values out of Xen's ranges. */
class SchedParamsTest
{
    @Test
    void defaultsAreXens()
    {
        assertThat(SchedParams.DEFAULTS).isEqualTo(new SchedParams(256, 0, 0));
        assertThat(SchedulerSettings.defaults(4)).isEqualTo(new SchedulerSettings(4, 30, 10, 1000));
        assertThat(SchedParams.DEFAULTS.sliceMsOr(30)).isEqualTo(30);
        assertThat(SchedParams.DEFAULTS.withSliceMs(5).sliceMsOr(30)).isEqualTo(5);
    }

    @Test
    void weightOutsideOneTo65535IsRefusedNamingValueAndRange()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> SchedParams.DEFAULTS.withWeight(0))
            .withMessage("weight 0 outside 1..65535");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedParams.DEFAULTS.withWeight(65536))
            .withMessage("weight 65536 outside 1..65535");
    }

    @Test
    void capIsCheckedAgainstTheDomainsVcpus()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> SchedParams.DEFAULTS.withCapPercent(-1))
            .withMessageStartingWith("cap -1 outside 0..3200");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedParams.DEFAULTS.withCapPercent(250).checkFor(2))
            .withMessage("cap 250 outside 0..200 (100 per vCPU, 2 vCPUs; 0 = no cap)");
        assertThat(SchedParams.DEFAULTS.withCapPercent(200).checkFor(2).capped()).isTrue();
    }

    @Test
    void sliceOutsideXensTsliceRangeIsRefused()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> SchedParams.DEFAULTS.withSliceMs(1001))
            .withMessage("slice 1001 ms outside 1..1000 (0 = the host's slice)");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerSettings.defaults(1).withSliceMs(0))
            .withMessage("slice 0 ms outside 1..1000");
    }

    @Test
    void rateLimitOutsideXensRangeOrLongerThanTheSliceIsRefused()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerSettings.defaults(1).withRateLimitUs(99))
            .withMessage("rate limit 99 us outside 100..500000 (0 = off)");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerSettings.defaults(1).withRateLimitUs(500_001))
            .withMessage("rate limit 500001 us outside 100..500000 (0 = off)");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerSettings.defaults(1).withRateLimitUs(40_000))
            .withMessage("rate limit 40000 us longer than the slice (30 ms)");
        assertThat(SchedulerSettings.defaults(1).withRateLimitUs(0).rateLimitNs()).isZero();
    }

    @Test
    void slotsAndTickAreChecked()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerSettings.defaults(0))
            .withMessage("cpu slots 0 outside 1..4096");
        assertThatIllegalArgumentException().isThrownBy(() -> new SchedulerSettings(1, 30, 0, 1000))
            .withMessage("tick 0 ms outside 1..1000");
    }
}
