package org.coopvm.guest.coop;

import java.util.Objects;

/**
 * One period's decision of a CPU cooperation policy ({@code polite-batch}, {@code latency}), kept
 * for tests and hosts that read its state, and said on the console when it changes.
 *
 * <p>Thread safety: immutable.
 *
 * @param kind   what the policy decided (its own enum).
 * @param figure the number behind it: the CPU share the guest allows itself ({@code polite-batch}),
 *               its own steal growth ({@code latency}).
 * @param why    the figures behind it, for the console.
 * @param <K>    the policy's kinds of decision.
 */
public record CpuPolicyDecision<K extends Enum<K>>(K kind, double figure, String why)
{
    /** Checks the references. */
    public CpuPolicyDecision
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(why, "why");
    }
}
