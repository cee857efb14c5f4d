package org.coopvm.cli;

/**
 * A CLI operation that could not be done, with a message for the user that names the problem;
 * reported by {@link CliErrors} with exit code 1.
 *
 * <p>Thread safety: immutable.
 */
public final class OperationFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, e.g. "cannot read pingpong-a.cfg: no such file".
     */
    public OperationFailedException(final String message)
    {
        super(message);
    }
}
