package org.coopvm.balloon.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code static}: every domain's target is its configured memory, or the target given for it
 * (by name or domid) in {@code targets_kib}. Guest stats play no part, so this is the baseline
 * other policies are compared with (and how Xen behaves without a balloon daemon).
 *
 * <p>Thread safety: the engine's thread (stateless).
 */
public final class StaticPolicy implements BalloonPolicy
{
    private final Map<String, Long> targetsKib;

    /** @param targetsKib fixed targets by domain name or domid (as text). */
    public StaticPolicy(final Map<String, Long> targetsKib)
    {
        this.targetsKib = Map.copyOf(targetsKib);
    }

    @Override
    public List<BalloonDecision> decide(final BalloonSnapshot snapshot)
    {
        final List<BalloonDecision> decisions = new ArrayList<>(snapshot.domains().size());
        for (final DomainView view : snapshot.domains())
        {
            decisions.add(decide(view));
        }
        return decisions;
    }

    @Override
    public boolean growsOnGuestStats()
    {
        return false;
    }

    private BalloonDecision decide(final DomainView view)
    {
        Long fixed = targetsKib.get(view.name());
        if (fixed == null)
        {
            fixed = targetsKib.get(Integer.toString(view.domid()));
        }
        if (fixed != null)
        {
            return new BalloonDecision(view.domid(), fixed, DecisionReason.FIXED_TARGET, "targets_kib gives " + fixed + " KiB");
        }
        return new BalloonDecision(view.domid(), view.memoryKib(), DecisionReason.CONFIGURED,
            "configured memory " + view.memoryKib() + " KiB");
    }
}
