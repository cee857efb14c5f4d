package org.coopvm.balloon.example;

import org.coopvm.balloon.policy.BalloonDecision;
import org.coopvm.balloon.policy.BalloonPolicy;
import org.coopvm.balloon.policy.BalloonPolicyFactory;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.policy.PolicyParameter;
import org.coopvm.balloon.policy.PolicyParameters;
import org.coopvm.balloon.policy.StatsStatus;

import java.util.List;

/** The README's example policy: every round, each guest gives back a share of its free memory. */
public final class GiveBackFreePolicyFactory implements BalloonPolicyFactory
{
    static final PolicyParameter<Double> SHARE = PolicyParameter.decimal("share", 0.5, 0.0, 1.0,
        "fraction of a guest's free memory given back per round");

    @Override
    public String name()
    {
        return "give-back-free";
    }

    @Override
    public String description()
    {
        return "every round, each guest gives back a share of its free memory";
    }

    @Override
    public List<PolicyParameter<?>> parameters()
    {
        return List.of(SHARE);
    }

    @Override
    public BalloonPolicy create(final PolicyParameters parameters)
    {
        final double share = parameters.get(SHARE);
        return snapshot -> snapshot.domains().stream()
            .filter(view -> view.statsStatus() == StatsStatus.FRESH)
            .map(view -> new BalloonDecision(view.domid(), view.currentKib() - (long)(share * view.latest().freeKib()),
                DecisionReason.POLICY_CHOICE, "give back " + share + " of free " + view.latest().freeKib() + " KiB"))
            .toList();
    }
}
