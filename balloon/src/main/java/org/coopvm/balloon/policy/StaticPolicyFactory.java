package org.coopvm.balloon.policy;

import java.util.List;
import java.util.Map;

/**
 * Makes {@link StaticPolicy}. Parameter: {@code targets_kib} ({@code name:kib,...}, names or
 * domids; default none: every domain at its configured memory).
 *
 * <p>Thread safety: any thread.
 */
public final class StaticPolicyFactory implements BalloonPolicyFactory
{
    /** Fixed targets by domain name or domid. */
    public static final PolicyParameter<Map<String, Long>> TARGETS_KIB = PolicyParameter.kibMap("targets_kib",
        1L << 40, "fixed targets by domain name or domid; others get their configured memory");

    @Override
    public String name()
    {
        return "static";
    }

    @Override
    public String description()
    {
        return "every domain at its configured memory, or at a fixed target";
    }

    @Override
    public List<PolicyParameter<?>> parameters()
    {
        return List.of(TARGETS_KIB);
    }

    @Override
    public BalloonPolicy create(final PolicyParameters parameters)
    {
        return new StaticPolicy(parameters.get(TARGETS_KIB));
    }
}
