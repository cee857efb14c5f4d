package org.coopvm.balloon.policy;

import java.util.List;

/**
 * Makes {@link MomPolicy}. Parameters (MoM's names and defaults): {@code pressure_threshold}
 * 0.20, {@code pressure_critical} 0.05 (below the threshold), {@code min_guest_free_percent}
 * 0.20, {@code max_balloon_change_percent} 0.05, {@code min_balloon_change_percent} 0.0025 (at
 * most the max), {@code sample_history} 10; period 10 s (MoM's {@code policy-engine-interval}).
 *
 * <p>Thread safety: any thread.
 */
public final class MomPolicyFactory implements BalloonPolicyFactory
{
    /** Host free fraction below which the host is under pressure. */
    public static final PolicyParameter<Double> PRESSURE_THRESHOLD = PolicyParameter.decimal("pressure_threshold",
        MomPolicy.Rules.DEFAULTS.pressureThreshold(), 0.0, 1.0, "host free fraction below which guests shrink");
    /** Host free fraction at or below which pressure is critical. */
    public static final PolicyParameter<Double> PRESSURE_CRITICAL = PolicyParameter.decimal("pressure_critical",
        MomPolicy.Rules.DEFAULTS.pressureCritical(), 0.0, 1.0, "host free fraction at which guests are pushed to swap");
    /** Free fraction an unconstrained guest keeps. */
    public static final PolicyParameter<Double> MIN_GUEST_FREE = PolicyParameter.decimal("min_guest_free_percent",
        MomPolicy.Rules.DEFAULTS.minGuestFreePercent(), 0.0, 1.0, "free fraction a guest keeps without host pressure");
    /** Most change per round. */
    public static final PolicyParameter<Double> MAX_CHANGE = PolicyParameter.decimal("max_balloon_change_percent",
        MomPolicy.Rules.DEFAULTS.maxBalloonChangePercent(), 0.0, 1.0, "most change per round, fraction of current");
    /** Least change worth making. */
    public static final PolicyParameter<Double> MIN_CHANGE = PolicyParameter.decimal("min_balloon_change_percent",
        MomPolicy.Rules.DEFAULTS.minBalloonChangePercent(), 0.0, 1.0, "smaller changes are not made, fraction of current");
    /** Samples averaged. */
    public static final PolicyParameter<Long> SAMPLE_HISTORY = PolicyParameter.integer("sample_history",
        MomPolicy.Rules.DEFAULTS.sampleHistory(), 1, DomainView.MAX_HISTORY, "host and guest samples averaged");

    @Override
    public String name()
    {
        return "mom";
    }

    @Override
    public String description()
    {
        return "oVirt MoM's default balloon rules: shrink under host pressure, keeping guest free memory; grow 5% without";
    }

    @Override
    public List<PolicyParameter<?>> parameters()
    {
        return List.of(PRESSURE_THRESHOLD, PRESSURE_CRITICAL, MIN_GUEST_FREE, MAX_CHANGE, MIN_CHANGE, SAMPLE_HISTORY);
    }

    @Override
    public BalloonPolicy create(final PolicyParameters parameters)
    {
        final MomPolicy.Rules rules = new MomPolicy.Rules(parameters.get(PRESSURE_THRESHOLD),
            parameters.get(PRESSURE_CRITICAL), parameters.get(MIN_GUEST_FREE), parameters.get(MAX_CHANGE),
            parameters.get(MIN_CHANGE), parameters.get(SAMPLE_HISTORY).intValue());
        if (rules.pressureCritical() >= rules.pressureThreshold())
        {
            throw new PolicyConfigException(PRESSURE_CRITICAL.key(), PRESSURE_CRITICAL.key() + " " +
                rules.pressureCritical() + " must be below " + PRESSURE_THRESHOLD.key() + " " + rules.pressureThreshold());
        }
        if (rules.minBalloonChangePercent() > rules.maxBalloonChangePercent())
        {
            throw new PolicyConfigException(MIN_CHANGE.key(), MIN_CHANGE.key() + " " + rules.minBalloonChangePercent() +
                " must be at most " + MAX_CHANGE.key() + " " + rules.maxBalloonChangePercent());
        }
        return new MomPolicy(rules);
    }
}
