package org.coopvm.balloon.policy;

import java.util.List;

/**
 * Makes {@link SelfBalloonPolicy}. Parameters: {@code reserve_kib} 8192, {@code downhysteresis}
 * 8, {@code uphysteresis} 1, {@code min_usable_kib} 0 (piecewise floor), {@code deadband_kib}
 * 1024; period 5 s (Linux's {@code selfballoon_interval}).
 *
 * <p>Thread safety: any thread.
 */
public final class SelfBalloonPolicyFactory implements BalloonPolicyFactory
{
    /** Memory kept on top of committed memory. */
    public static final PolicyParameter<Long> RESERVE_KIB = PolicyParameter.integer("reserve_kib",
        SelfBalloonPolicy.Settings.DEFAULTS.reserveKib(), 0, 1L << 30, "kept on top of committed memory (totalreserve)");
    /** Divisor of the excess removed per round. */
    public static final PolicyParameter<Long> DOWN_HYSTERESIS = PolicyParameter.integer("downhysteresis",
        SelfBalloonPolicy.Settings.DEFAULTS.downHysteresis(), 1, 1000, "shrink by (current - goal) / this per round");
    /** Divisor of the shortfall added per round. */
    public static final PolicyParameter<Long> UP_HYSTERESIS = PolicyParameter.integer("uphysteresis",
        SelfBalloonPolicy.Settings.DEFAULTS.upHysteresis(), 1, 1000, "grow by (goal - current) / this per round");
    /** Least usable memory; 0 for Linux's piecewise floor. */
    public static final PolicyParameter<Long> MIN_USABLE_KIB = PolicyParameter.integer("min_usable_kib",
        SelfBalloonPolicy.Settings.DEFAULTS.minUsableKib(), 0, 1L << 30, "floor above reserve; 0 = piecewise floor");
    /** Dead band around the goal. */
    public static final PolicyParameter<Long> DEADBAND_KIB = PolicyParameter.integer("deadband_kib",
        SelfBalloonPolicy.Settings.DEFAULTS.deadbandKib(), 0, 1L << 30, "no change while this close to the goal");

    @Override
    public String name()
    {
        return "selfballoon";
    }

    @Override
    public String description()
    {
        return "Linux self-ballooning: aim at committed memory plus a reserve, shrink by 1/8 of the excess, grow at once";
    }

    @Override
    public List<PolicyParameter<?>> parameters()
    {
        return List.of(RESERVE_KIB, DOWN_HYSTERESIS, UP_HYSTERESIS, MIN_USABLE_KIB, DEADBAND_KIB);
    }

    @Override
    public long defaultPeriodMs()
    {
        return 5_000;
    }

    @Override
    public BalloonPolicy create(final PolicyParameters parameters)
    {
        return new SelfBalloonPolicy(new SelfBalloonPolicy.Settings(parameters.get(RESERVE_KIB),
            parameters.get(DOWN_HYSTERESIS), parameters.get(UP_HYSTERESIS), parameters.get(MIN_USABLE_KIB),
            parameters.get(DEADBAND_KIB)));
    }
}
