package org.coopvm.balloon.policy;

import java.util.List;

/**
 * Makes {@link ProportionalSharePolicy}. Parameters: {@code tau} 0.75 (0..0.99; 0 = pure
 * shares), {@code min_free_percent} 0.06, {@code chunk_kib} 4096, {@code ws_headroom} 0.25;
 * period 10 s.
 *
 * <p>Thread safety: any thread.
 */
public final class ProportionalSharePolicyFactory implements BalloonPolicyFactory
{
    /** Idle memory tax rate. */
    public static final PolicyParameter<Double> TAU = PolicyParameter.decimal("tau",
        ProportionalSharePolicy.Settings.DEFAULTS.tau(), 0.0, 0.99, "idle memory tax rate; an idle page costs 1/(1-tau) active ones");
    /** Pool fraction kept free. */
    public static final PolicyParameter<Double> MIN_FREE = PolicyParameter.decimal("min_free_percent",
        ProportionalSharePolicy.Settings.DEFAULTS.minFreePercent(), 0.0, 0.9, "pool fraction kept free: reclaim below, give above");
    /** Memory moved per step. */
    public static final PolicyParameter<Long> CHUNK_KIB = PolicyParameter.integer("chunk_kib",
        ProportionalSharePolicy.Settings.DEFAULTS.chunkKib(), 4, 1L << 30, "memory moved per planning step");
    /** Headroom wanted above the working set. */
    public static final PolicyParameter<Double> WS_HEADROOM = PolicyParameter.decimal("ws_headroom",
        ProportionalSharePolicy.Settings.DEFAULTS.wsHeadroom(), 0.0, 10.0, "a domain wants its working set times (1 + this)");

    @Override
    public String name()
    {
        return "proportional-share";
    }

    @Override
    public String description()
    {
        return "ESX shares with the idle memory tax: reclaim from the lowest adjusted shares per page first";
    }

    @Override
    public List<PolicyParameter<?>> parameters()
    {
        return List.of(TAU, MIN_FREE, CHUNK_KIB, WS_HEADROOM);
    }

    @Override
    public BalloonPolicy create(final PolicyParameters parameters)
    {
        return new ProportionalSharePolicy(new ProportionalSharePolicy.Settings(parameters.get(TAU),
            parameters.get(MIN_FREE), parameters.get(CHUNK_KIB), parameters.get(WS_HEADROOM)));
    }
}
