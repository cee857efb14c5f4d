package org.coopvm.balloon.policy;

import java.util.List;

/**
 * A balloon policy: sees a {@link BalloonSnapshot} (every domain's stats history, weight, floor,
 * maxmem and the host pool) and returns a target for domains, each with a reason. Plain Java,
 * deterministic given the snapshots it has seen: no clocks, no randomness, no I/O.
 *
 * <p>The engine makes one instance per selection ({@link BalloonPolicyFactory#create}) and calls
 * {@link #decide} once per round, always from the same thread, so an implementation may keep
 * state across rounds (averages, hysteresis) without synchronisation.
 *
 * <p>A policy need not be careful: the engine clamps every target to the domain's floor and
 * maxmem, to what the pool can cover, and holds a domain whose stats are not fresh at what it
 * has when the policy {@link #growsOnGuestStats() grows on stats}; each clamp is recorded with its
 * reason. Domains it leaves out keep their target ({@link DecisionReason#NO_CHANGE}); decisions for
 * domains not in the snapshot are dropped and counted.
 *
 * <p>Order matters in one way: when the pool cannot cover every increase, the engine cuts the
 * increases of the decisions listed last first.
 */
public interface BalloonPolicy
{
    /**
     * @param snapshot this round's view of the host and domains.
     * @return decisions, at most one per domain.
     */
    List<BalloonDecision> decide(BalloonSnapshot snapshot);

    /**
     * @return whether this policy's growth follows guest-reported stats, so a domain whose stats are
     * not {@link StatsStatus#FRESH} must not grow (true unless the policy ignores stats, as
     * {@code static} does).
     */
    default boolean growsOnGuestStats()
    {
        return true;
    }
}
