package org.coopvm.balloon.policy;

import java.util.List;

/**
 * Makes {@link CooperativePolicy}. Parameter: {@code host_reserve_percent} 0.05 (pool fraction
 * never granted); period 10 s.
 *
 * <p>Thread safety: any thread.
 */
public final class CooperativePolicyFactory implements BalloonPolicyFactory
{
    /** Pool fraction never granted. */
    public static final PolicyParameter<Double> HOST_RESERVE = PolicyParameter.decimal("host_reserve_percent", 0.05,
        0.0, 0.9, "pool fraction never granted to requests");

    @Override
    public String name()
    {
        return "cooperative";
    }

    @Override
    public String description()
    {
        return "guests volunteer and request memory themselves; requests are shared by weight within the pool";
    }

    @Override
    public List<PolicyParameter<?>> parameters()
    {
        return List.of(HOST_RESERVE);
    }

    @Override
    public BalloonPolicy create(final PolicyParameters parameters)
    {
        return new CooperativePolicy(parameters.get(HOST_RESERVE));
    }
}
