package org.coopvm.hypervisor.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's balloon policy ({@code coop balloon-policy}): which one runs, with which parameters
 * and period, and each domain's last decision.
 *
 * @param policy        the running policy's name, or {@value #NONE} when targets change only by hand.
 * @param description   what it does, one line ("" for none).
 * @param periodMs      milliseconds between rounds (0 for none).
 * @param parameters    every parameter with its value, in declaration order.
 * @param available     the policies this host can run.
 * @param rounds        rounds run since the host started.
 * @param lastDecisions each domain's latest decision (repeats included), by domid.
 *
 * <p>Thread safety: immutable.
 */
public record BalloonPolicyInfo(
    String policy,
    String description,
    long periodMs,
    Map<String, String> parameters,
    List<String> available,
    long rounds,
    List<BalloonDecisionInfo> lastDecisions)
{
    /** The policy name meaning "no policy": targets change only by hand, as in Xen. */
    public static final String NONE = "none";

    /** Copy the collections. */
    public BalloonPolicyInfo
    {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        available = List.copyOf(available);
        lastDecisions = List.copyOf(lastDecisions);
    }
}
