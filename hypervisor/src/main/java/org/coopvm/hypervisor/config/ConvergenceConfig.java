package org.coopvm.hypervisor.config;

/**
 * How the host judges whether a domain followed a change of its {@code memory/target} (the
 * convergence reports): how often it looks, and the two deadlines after which a change that has
 * not been reached is given up on. Host config keys {@code convergence_poll_ms},
 * {@code convergence_slow_ms} and {@code convergence_timeout_ms}.
 *
 * <p>Why the defaults: the guest balloon driver moves 512 pages per hypercall and backs off 1, 2,
 * 4, 8 s on failure before it gives up (Linux's schedule), so a guest that is going to make it
 * has either moved or retried four times within about 15 s. {@value #DEFAULT_SLOW_MS} ms is the
 * period of the shipped policies (and of oVirt MoM): a change not reached by the next policy
 * round is slow. {@value #DEFAULT_TIMEOUT_MS} ms is twice the driver's whole retry schedule: a
 * domain that has not moved at all by then will not. {@value #DEFAULT_POLL_MS} ms polling costs
 * nothing measurable; the time a report gives for a reached target is taken from the reservation
 * call that reached it, not from the poll, so polling does not blur it.
 *
 * @param pollMs    how often the books (populated pages, pool, guest stats) are read while a
 *                  change is tracked, 10..60000.
 * @param slowMs    a change not reached this long after it was written is reported: with the
 *                  reason when one is known (host pool short, the guest's declared floor), else
 *                  GUEST_SLOW when the domain moved towards it; pollMs..timeoutMs.
 * @param timeoutMs a change towards which the domain has not moved at all this long after it was
 *                  written is GUEST_REFUSED (the guest is running and publishing fresh stats, and
 *                  the host could serve it) or TIMED_OUT; slowMs..3600000.
 *
 * <p>Thread safety: immutable.
 */
public record ConvergenceConfig(long pollMs, long slowMs, long timeoutMs)
{
    /** Default poll period. */
    public static final long DEFAULT_POLL_MS = 200;
    /** Default slow deadline. */
    public static final long DEFAULT_SLOW_MS = 10_000;
    /** Default timeout. */
    public static final long DEFAULT_TIMEOUT_MS = 30_000;
    /** Shortest poll period. */
    public static final long MIN_POLL_MS = 10;
    /** Longest poll period. */
    public static final long MAX_POLL_MS = 60_000;
    /** Longest timeout: one hour. */
    public static final long MAX_TIMEOUT_MS = 3_600_000;
    /** The defaults. */
    public static final ConvergenceConfig DEFAULTS = new ConvergenceConfig(DEFAULT_POLL_MS, DEFAULT_SLOW_MS, DEFAULT_TIMEOUT_MS);

    /** Validate: 10 <= poll <= 60000, poll <= slow <= timeout <= one hour. */
    public ConvergenceConfig
    {
        if (pollMs < MIN_POLL_MS || pollMs > MAX_POLL_MS || slowMs < pollMs || timeoutMs < slowMs || timeoutMs > MAX_TIMEOUT_MS)
        {
            throw new IllegalArgumentException("convergence poll " + pollMs + " ms, slow " + slowMs + " ms, timeout " +
                timeoutMs + " ms: need " + MIN_POLL_MS + " <= poll <= " + MAX_POLL_MS + ", poll <= slow <= timeout <= " +
                MAX_TIMEOUT_MS);
        }
    }
}
