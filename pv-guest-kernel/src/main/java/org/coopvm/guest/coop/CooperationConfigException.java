package org.coopvm.guest.coop;

/**
 * A cooperation policy or one of its parameters is not acceptable: an unknown policy, an unknown
 * or repeated parameter, a value that is not a number or is out of range. The message names the
 * parameter and the range; {@link #key()} is the parameter ({@code policy} for the name itself).
 */
public final class CooperationConfigException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /** {@link #key()} when the policy name is at fault. */
    public static final String POLICY = "policy";

    private final String key;

    /**
     * @param key     the parameter at fault, or {@link #POLICY}.
     * @param message what is wrong and what would be right.
     */
    public CooperationConfigException(final String key, final String message)
    {
        super(message);
        this.key = key;
    }

    /** @return the parameter at fault, or {@link #POLICY}. */
    public String key()
    {
        return key;
    }
}
