package org.coopvm.hypervisor.hypercall;

import org.agrona.collections.Int2ObjectHashMap;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.hypercall.SchedOpDescriptor;

import static org.coopvm.rings.hypercall.Errno.*;

/**
 * SCHEDOP_watchdog: up to two watchdogs per domain, ids 1 and 2, each a deadline re-armed by
 * the guest; one that expires shuts the domain down with reason watchdog.
 *
 * <p>Thread safety: under the hypervisor lock.
 */
final class Watchdogs
{
    private static final long NS_PER_S = 1_000_000_000L;

    private final HypercallServices services;
    /** Per domain: generation of each slot, 0 = unused. */
    private final Int2ObjectHashMap<long[]> slots = new Int2ObjectHashMap<>();
    private long generations;

    Watchdogs(final HypercallServices services)
    {
        this.services = services;
    }

    long command(final Domain domain, final int id, final int timeoutS)
    {
        final long[] generation = slots.computeIfAbsent(domain.domid(), d -> new long[SchedOpDescriptor.MAX_WATCHDOGS]);
        if (id == 0)
        {
            return timeoutS == 0 ? -EINVAL : create(domain, generation, timeoutS);
        }
        if (id < 1 || id > SchedOpDescriptor.MAX_WATCHDOGS || generation[id - 1] == 0)
        {
            return -EINVAL;
        }
        if (timeoutS == 0)
        {
            generation[id - 1] = 0;
            return 0;
        }
        arm(domain, generation, id - 1, timeoutS);
        return 0;
    }

    void onExpired(final TimerQueue.Timer timer)
    {
        final long[] generation = slots.get(timer.domain().domid());
        if (generation != null && generation[timer.index()] == timer.generation())
        {
            services.control().shutdown(timer.domain(), SchedOpDescriptor.SHUTDOWN_WATCHDOG,
                "watchdog " + (timer.index() + 1) + " expired");
        }
    }

    void forget(final Domain domain)
    {
        slots.remove(domain.domid());
    }

    private long create(final Domain domain, final long[] generation, final int timeoutS)
    {
        for (int slot = 0; slot < generation.length; slot++)
        {
            if (generation[slot] == 0)
            {
                arm(domain, generation, slot, timeoutS);
                return slot + 1;
            }
        }
        return -ENOSPC;
    }

    private void arm(final Domain domain, final long[] generation, final int slot, final int timeoutS)
    {
        generation[slot] = ++generations;
        services.timers().schedule(services.clock().nanoTime() + Integer.toUnsignedLong(timeoutS) * NS_PER_S,
            TimerQueue.Kind.WATCHDOG, domain, slot, generation[slot]);
    }
}
