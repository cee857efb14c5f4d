package org.coopvm.balloon.policy;

/**
 * A policy name or parameter that cannot be used: unknown policy, unknown key, a value out of
 * range or not a number. The message names the policy and the key, and gives the range.
 *
 * <p>Thread safety: immutable.
 */
public final class PolicyConfigException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key     the parameter at fault, or {@code "policy"} for the policy name.
     * @param message what is wrong, naming the key.
     */
    public PolicyConfigException(final String key, final String message)
    {
        super(message);
        this.key = key;
    }

    /** @return the parameter at fault, or {@code "policy"}. */
    public String key()
    {
        return key;
    }
}
