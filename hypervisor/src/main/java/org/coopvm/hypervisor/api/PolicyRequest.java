package org.coopvm.hypervisor.api;

import java.util.List;

/**
 * The body of {@code PUT /v1/balloon/policy}: a policy name ({@value BalloonPolicyInfo#NONE} to
 * stop) and its {@code key=value} parameters.
 *
 * @param name      the policy.
 * @param arguments its parameters, {@code key=value}; null means none.
 *
 * <p>Thread safety: immutable.
 */
public record PolicyRequest(String name, List<String> arguments)
{
    /** Copy the arguments (none when null). */
    public PolicyRequest
    {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }
}
