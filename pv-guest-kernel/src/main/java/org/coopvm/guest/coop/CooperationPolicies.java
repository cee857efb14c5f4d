package org.coopvm.guest.coop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The cooperation policies on the class path ({@link ServiceLoader}), and the one place that
 * turns a name and {@code key=value} parameters into a configured policy: the guest kernel at
 * boot, and the toolstack at {@code coop create} (so a mistake is refused before the domain is
 * built, naming the key). Every policy also takes {@value #PERIOD_MS} (how often
 * {@link CooperationPolicy#onUsage} runs; default {@value #DEFAULT_PERIOD_MS}, the usage page's
 * own period).
 *
 * <p>Thread safety: stateless; any thread. Each selection is a fresh policy instance.
 */
public final class CooperationPolicies
{
    /** The parameter every policy takes: its period. */
    public static final String PERIOD_MS = "period_ms";
    /** Default period: the usage page's. */
    public static final long DEFAULT_PERIOD_MS = 1000;
    /** Shortest period. */
    public static final long MIN_PERIOD_MS = 10;
    /** Longest period. */
    public static final long MAX_PERIOD_MS = 60_000;

    private CooperationPolicies()
    {
    }

    /**
     * A configured policy, ready to run.
     *
     * @param policy     the policy (configured).
     * @param periodMs   how often it runs.
     * @param parameters every parameter it declared, the period included.
     * @param given      what the domain gave.
     */
    public record Selection(CooperationPolicy policy, long periodMs, List<CooperationArgs.Parameter> parameters,
                            Map<String, String> given)
    {
        /** @return the policy's name and the parameters given, for a log line. */
        public String describe()
        {
            final StringBuilder text = new StringBuilder(policy.name());
            given.forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
            return text.toString();
        }
    }

    /** @return the names of the policies on the class path, in the order found. */
    public static List<String> names()
    {
        final List<String> names = new ArrayList<>();
        ServiceLoader.load(CooperationPolicy.class).stream().forEach(provider -> names.add(provider.get().name()));
        return names;
    }

    /**
     * @param name the policy's name.
     * @param args its parameters, key to value.
     * @return the configured policy.
     * @throws CooperationConfigException for an unknown policy (naming the known ones), an unknown
     *                                    parameter, or a bad value.
     */
    public static Selection select(final String name, final Map<String, String> args)
    {
        final CooperationPolicy policy = find(name);
        final CooperationArgs reader = new CooperationArgs(args);
        final long periodMs = reader.integer(PERIOD_MS, DEFAULT_PERIOD_MS, MIN_PERIOD_MS, MAX_PERIOD_MS,
            "how often the policy reads the usage page, ms");
        policy.configure(reader);
        reader.rejectUnknown(name);
        return new Selection(policy, periodMs, reader.declared(), reader.given());
    }

    private static CooperationPolicy find(final String name)
    {
        final List<String> known = new ArrayList<>();
        for (final ServiceLoader.Provider<CooperationPolicy> provider : ServiceLoader.load(CooperationPolicy.class).stream().toList())
        {
            final CooperationPolicy policy = provider.get();
            if (policy.name().equals(name))
            {
                return policy;
            }
            known.add(policy.name());
        }
        throw new CooperationConfigException(CooperationConfigException.POLICY, "unknown cooperation policy '" + name +
            "' (known: " + String.join(", ", known) + ")");
    }
}
