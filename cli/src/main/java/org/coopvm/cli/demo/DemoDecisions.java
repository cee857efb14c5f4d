package org.coopvm.cli.demo;

import org.coopvm.hypervisor.api.BalloonDecisionInfo;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.HostControlException;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The balloon policy's last decision for each guest, as the host's control reports them
 * ({@link HostControl#balloonPolicy()}, what {@code coop balloon-policy} shows), read once per
 * frame. Confined to the demo's thread.
 */
final class DemoDecisions
{
    private final HostControl control;
    private final Map<Integer, String> last = new HashMap<>();

    DemoDecisions(final HostControl control)
    {
        this.control = control;
    }

    /** Read the policy's latest decisions. A host without a policy engine leaves them empty. */
    void refresh()
    {
        last.clear();
        try
        {
            final List<BalloonDecisionInfo> decisions = control.balloonPolicy().lastDecisions();
            decisions.forEach(decision -> last.put(decision.domid(), describe(decision)));
        }
        catch (final HostControlException ex)
        {
            // no policy engine on this host: no decisions to show
        }
    }

    /**
     * @param domid a guest.
     * @return its last decision since {@link #refresh()}, or empty before the first.
     */
    String lastFor(final int domid)
    {
        return last.getOrDefault(domid, "");
    }

    /**
     * @param decision a decision.
     * @return {@code REASON -> 268.8 MiB: detail} when it changed the target, {@code REASON: detail} otherwise.
     */
    static String describe(final BalloonDecisionInfo decision)
    {
        final String target = decision.applied() ? String.format(Locale.ROOT, " -> %.1f MiB", decision.targetKib() / 1024.0) : "";
        return decision.reason() + target + ": " + decision.detail();
    }
}
