package org.coopvm.balloon.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The policies a host can run: every {@link BalloonPolicyFactory} {@link ServiceLoader} finds (or
 * those given), by name. {@link #select} turns {@code NAME key=value...} into a validated
 * {@link PolicySelection}; besides a policy's own parameters, every policy takes
 * {@value #PERIOD_KEY} (how often it runs).
 *
 * <p>Thread safety: immutable after construction.
 */
public final class PolicyCatalog
{
    /** The common parameter: milliseconds between rounds. */
    public static final String PERIOD_KEY = "period_ms";
    /** Shortest period. */
    public static final long MIN_PERIOD_MS = 10;
    /** Longest period: one hour. */
    public static final long MAX_PERIOD_MS = 3_600_000;

    private final Map<String, BalloonPolicyFactory> factories;

    private PolicyCatalog(final Map<String, BalloonPolicyFactory> factories)
    {
        this.factories = factories;
    }

    /** @return the factories on the class path of this class's loader. */
    public static PolicyCatalog load()
    {
        final List<BalloonPolicyFactory> found = new ArrayList<>();
        ServiceLoader.load(BalloonPolicyFactory.class, PolicyCatalog.class.getClassLoader()).forEach(found::add);
        return of(found);
    }

    /**
     * @param factories the factories.
     * @return a catalog of them.
     * @throws IllegalArgumentException when two share a name or one declares {@value #PERIOD_KEY}.
     */
    public static PolicyCatalog of(final List<BalloonPolicyFactory> factories)
    {
        final Map<String, BalloonPolicyFactory> byName = new LinkedHashMap<>();
        for (final BalloonPolicyFactory factory : factories)
        {
            if (byName.put(factory.name(), factory) != null)
            {
                throw new IllegalArgumentException("two balloon policies are named " + factory.name());
            }
            if (factory.parameters().stream().anyMatch(p -> p.key().equals(PERIOD_KEY)))
            {
                throw new IllegalArgumentException("policy " + factory.name() + " declares the common key " + PERIOD_KEY);
            }
        }
        return new PolicyCatalog(Collections.unmodifiableMap(byName));
    }

    /** @return the policies' names, in the order found. */
    public List<String> names()
    {
        return List.copyOf(factories.keySet());
    }

    /**
     * @param name a policy name.
     * @return its factory.
     * @throws PolicyConfigException (key {@code policy}) when there is none.
     */
    public BalloonPolicyFactory factory(final String name)
    {
        final BalloonPolicyFactory factory = factories.get(name);
        if (factory == null)
        {
            throw new PolicyConfigException("policy", "unknown balloon policy '" + name + "'; known: " +
                String.join(", ", factories.keySet()));
        }
        return factory;
    }

    /**
     * Parse and validate a policy choice, including making one instance (so conflicting values
     * fail here, not in the engine).
     *
     * @param name      the policy name.
     * @param arguments {@code key=value} strings.
     * @return the selection.
     * @throws PolicyConfigException naming the policy or key at fault.
     */
    public PolicySelection select(final String name, final List<String> arguments)
    {
        final BalloonPolicyFactory factory = factory(name);
        final List<PolicyParameter<?>> declared = new ArrayList<>(factory.parameters());
        final PolicyParameter<Long> period = PolicyParameter.integer(PERIOD_KEY, factory.defaultPeriodMs(),
            MIN_PERIOD_MS, MAX_PERIOD_MS, "milliseconds between rounds");
        declared.add(period);
        final PolicyParameters all = PolicyParameters.parse(name, declared, arguments);
        final List<String> own = arguments.stream().filter(a -> !a.substring(0, a.indexOf('=')).trim().equals(PERIOD_KEY)).toList();
        final PolicySelection selection = new PolicySelection(factory,
            PolicyParameters.parse(name, factory.parameters(), own), all.get(period));
        selection.newPolicy();
        return selection;
    }
}
