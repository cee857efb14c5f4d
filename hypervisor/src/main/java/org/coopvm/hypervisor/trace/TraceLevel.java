package org.coopvm.hypervisor.trace;

/**
 * How much the host writes to its trace, from nothing to every hypercall. Each level includes
 * the ones below it: {@code OFF < LIFECYCLE < HYPERCALLS}.
 * <ul>
 *   <li>{@link #OFF}: no queue is opened and every {@code Tracer} method returns after one field
 *   check.</li>
 *   <li>{@link #LIFECYCLE}: host and domain lifecycle records and guest-fault records.</li>
 *   <li>{@link #HYPERCALLS}: also one record per hypercall (op, cmd, result, latency).</li>
 * </ul>
 * Immutable; any thread.
 */
public enum TraceLevel
{
    OFF,
    LIFECYCLE,
    HYPERCALLS;

    /**
     * Whether a tracer at this level writes records that need {@code required}.
     *
     * @param required the level a kind of record needs.
     * @return true if this level is {@code required} or above.
     */
    public boolean includes(final TraceLevel required)
    {
        return required != OFF && ordinal() >= required.ordinal();
    }

    /**
     * Parses a level as users write it in a config file or on the command line ("off",
     * "lifecycle", "hypercalls"; any case).
     *
     * @param text the level's name.
     * @return the level.
     * @throws IllegalArgumentException naming the accepted values if {@code text} is none of them.
     */
    public static TraceLevel parse(final String text)
    {
        for (final TraceLevel level : values())
        {
            if (level.name().equalsIgnoreCase(text.trim()))
            {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown trace level '" + text + "': expected off, lifecycle or hypercalls");
    }
}
