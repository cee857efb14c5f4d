package org.coopvm.balloon.policy;

import java.util.List;

/**
 * Makes a {@link BalloonPolicy}: found by {@link java.util.ServiceLoader} (list implementations in
 * {@code META-INF/services/org.coopvm.balloon.policy.BalloonPolicyFactory}), chosen by
 * {@link #name()} in {@code coop balloon-policy set NAME key=value...}. Implementations need a
 * public no-argument constructor and must be stateless.
 *
 * <p>Thread safety: any thread.
 */
public interface BalloonPolicyFactory
{
    /** @return the policy's name (lower case, {@code -} between words). */
    String name();

    /** @return one line saying what the policy does. */
    String description();

    /** @return the parameters it takes, with defaults and ranges (an empty list when none). */
    List<PolicyParameter<?>> parameters();

    /**
     * @return how often the engine runs the policy by default, in milliseconds (the common
     * parameter {@code period_ms} overrides it).
     */
    default long defaultPeriodMs()
    {
        return 10_000;
    }

    /**
     * Make a policy with fresh state.
     *
     * @param parameters values for {@link #parameters()}, already range-checked one by one.
     * @return the policy.
     * @throws PolicyConfigException when values conflict (name the keys).
     */
    BalloonPolicy create(PolicyParameters parameters);
}
