package org.coopvm.guest.stats;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The guest's cooperative memory request, as the balloon stats publish it
 * ({@code BalloonStatsDescriptor.REQUEST_KIB_OFFSET}): a cooperation policy asks for more memory
 * or volunteers some back ({@link #set}), the stats source publishes what is still missing
 * ({@link #publishKib}).
 *
 * <p>A request is kept as a goal: the total the guest held when it asked, plus or minus the
 * amount, within 0..maxmem. Each publish carries {@code goal - total} of that moment while it has
 * the request's sign; once the total reached the goal (within a page, as the host rounds targets
 * down to pages) the request is done and reads 0. The host
 * reads a request relative to the total of the same publish, so a request it already granted
 * (and the guest already received) is never granted twice, however long the policy leaves it.
 *
 * <p>Thread safety: any thread; {@link #set} replaces the request atomically, and a publish that
 * finds the goal reached clears it only if no newer request replaced it meanwhile.
 */
public final class MemoryRequest
{
    /** Within this much of its goal a request is done: the host rounds targets down to 4 KiB pages. */
    public static final long PAGE_KIB = 4;

    private static final Goal NONE = new Goal(0, 0);

    private final long maxmemKib;
    private final AtomicReference<Goal> goal = new AtomicReference<>(NONE);

    /** @param maxmemKib the domain's maxmem: no goal goes beyond it. */
    public MemoryRequest(final long maxmemKib)
    {
        if (maxmemKib < 0)
        {
            throw new IllegalArgumentException("maxmem " + maxmemKib + " KiB is negative");
        }
        this.maxmemKib = maxmemKib;
    }

    /**
     * Replace the request.
     *
     * @param kib         more than 0 asks for that much more memory, less than 0 volunteers that
     *                    much back, 0 withdraws the request.
     * @param totalKibNow the memory the guest holds now (its stats' total).
     */
    public void set(final long kib, final long totalKibNow)
    {
        if (kib == 0)
        {
            goal.set(NONE);
            return;
        }
        final long target = kib > 0 ? Math.min(maxmemKib, saturatedAdd(totalKibNow, kib)) : Math.max(0, saturatedAdd(totalKibNow, kib));
        goal.set(new Goal(target, Long.signum(kib)));
    }

    /**
     * What a publish carries: the part of the request still missing; clears a request whose goal
     * the total reached.
     *
     * @param totalKibNow the total of the same publish.
     * @return more than 0 to ask, less than 0 to volunteer, 0 for nothing.
     */
    public long publishKib(final long totalKibNow)
    {
        final Goal current = goal.get();
        final long missing = current.missing(totalKibNow);
        if (missing == 0 && current != NONE)
        {
            goal.compareAndSet(current, NONE);
        }
        return missing;
    }

    /**
     * @param totalKibNow the memory the guest holds now.
     * @return what the next publish would carry, without clearing anything.
     */
    public long outstandingKib(final long totalKibNow)
    {
        return goal.get().missing(totalKibNow);
    }

    private static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    /** A total to reach, from below (sign 1) or above (sign -1); sign 0 is no request. */
    private record Goal(long goalKib, int sign)
    {
        long missing(final long totalKib)
        {
            final long missing = goalKib - totalKib;
            return Long.signum(missing) == sign && sign != 0 && Math.abs(missing) >= PAGE_KIB ? missing : 0;
        }
    }
}
