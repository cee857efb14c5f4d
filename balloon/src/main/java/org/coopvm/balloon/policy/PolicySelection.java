package org.coopvm.balloon.policy;

import java.util.Objects;

/**
 * A chosen policy with validated parameters: what {@code coop balloon-policy} shows and what the
 * engine runs. {@link #newPolicy()} makes a fresh instance each time.
 *
 * @param factory    the policy's factory.
 * @param parameters its parameter values.
 * @param periodMs   how often the engine runs it.
 *
 * <p>Thread safety: immutable.
 */
public record PolicySelection(BalloonPolicyFactory factory, PolicyParameters parameters, long periodMs)
{
    /** Validate. */
    public PolicySelection
    {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(parameters, "parameters");
        if (periodMs < PolicyCatalog.MIN_PERIOD_MS || periodMs > PolicyCatalog.MAX_PERIOD_MS)
        {
            throw new PolicyConfigException(PolicyCatalog.PERIOD_KEY, PolicyCatalog.PERIOD_KEY + ": " + periodMs +
                " outside [" + PolicyCatalog.MIN_PERIOD_MS + ", " + PolicyCatalog.MAX_PERIOD_MS + "]");
        }
    }

    /** @return the policy's name. */
    public String name()
    {
        return factory.name();
    }

    /**
     * @return a new instance, with fresh state.
     * @throws PolicyConfigException when the parameters conflict.
     */
    public BalloonPolicy newPolicy()
    {
        return Objects.requireNonNull(factory.create(parameters), "factory " + name() + " returned null");
    }

    @Override
    public String toString()
    {
        final String params = parameters.toString();
        return name() + " " + PolicyCatalog.PERIOD_KEY + "=" + periodMs + (params.isEmpty() ? "" : " " + params);
    }
}
