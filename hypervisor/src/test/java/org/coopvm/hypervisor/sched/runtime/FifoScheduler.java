package org.coopvm.hypervisor.sched.runtime;

import org.coopvm.hypervisor.sched.Priority;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedVcpu;
import org.coopvm.hypervisor.sched.Scheduler;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.VcpuSchedState;

import java.util.ArrayDeque;

/**
 * A round-robin scheduler for the mechanism's tests ({@code test-fifo}, in
 * {@link org.coopvm.hypervisor.testing.TestHost#SCHEDULERS}): one FIFO run queue, each
 * vCPU runs for a slice (the domain's or the host's) when others wait; a yield goes to the back,
 * a directed yield puts the target first. No weights, no credit: what the tests see is the
 * mechanism's doing, not an algorithm's.
 */
public final class FifoScheduler implements Scheduler
{
    /** The name tests select it by. */
    public static final String NAME = "test-fifo";

    private final ArrayDeque<SchedVcpu> queue = new ArrayDeque<>();
    private SchedulerSettings settings;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void init(final SchedulerSettings value)
    {
        settings = value;
    }

    @Override
    public void insert(final SchedVcpu v, final long nowNs)
    {
        v.priv(new State());
    }

    @Override
    public void remove(final SchedVcpu v, final long nowNs)
    {
        queue.remove(v);
        own(v).current = false;
    }

    @Override
    public void wake(final SchedVcpu v, final long nowNs)
    {
        if (!own(v).current && !queue.contains(v))
        {
            queue.addLast(v);
        }
    }

    @Override
    public void sleep(final SchedVcpu v, final long nowNs)
    {
        queue.remove(v);
        own(v).current = false;
    }

    @Override
    public void yield(final SchedVcpu v, final long nowNs)
    {
        own(v).current = false;
        queue.remove(v);
        queue.addLast(v);
    }

    @Override
    public void yieldTo(final SchedVcpu from, final SchedVcpu to, final long nowNs)
    {
        this.yield(from, nowNs);
        if (queue.remove(to))
        {
            queue.addFirst(to);
        }
    }

    @Override
    public void charge(final SchedVcpu v, final long cpuNs, final long nowNs)
    {
        own(v).chargedNs += cpuNs;
    }

    @Override
    public void tick(final long nowNs)
    {
    }

    @Override
    public Decision schedule(final int slot, final SchedVcpu current, final long nowNs)
    {
        if (current != null)
        {
            final long endNs = own(current).startNs + sliceNs(current);
            if (queue.isEmpty() || nowNs - endNs < 0)
            {
                return new Decision(current, queue.isEmpty() ? Long.MAX_VALUE : endNs);
            }
            own(current).current = false;
            queue.addLast(current);
        }
        final SchedVcpu next = queue.pollFirst();
        if (next == null)
        {
            return Decision.IDLE;
        }
        own(next).current = true;
        own(next).startNs = nowNs;
        return new Decision(next, queue.isEmpty() ? Long.MAX_VALUE : nowNs + sliceNs(next));
    }

    @Override
    public void adjust(final int domid, final SchedParams params, final long nowNs)
    {
    }

    @Override
    public void adjust(final SchedulerSettings value, final long nowNs)
    {
        settings = value;
    }

    @Override
    public VcpuSchedState state(final SchedVcpu v)
    {
        return new VcpuSchedState(Priority.UNDER, own(v).chargedNs);
    }

    /** @param v a vCPU. @return the CPU charged to it so far. */
    public static long chargedNs(final SchedVcpu v)
    {
        return ((State)v.priv()).chargedNs;
    }

    private long sliceNs(final SchedVcpu v)
    {
        return v.params().sliceMsOr(settings.sliceMs()) * 1_000_000L;
    }

    private static State own(final SchedVcpu v)
    {
        return (State)v.priv();
    }

    private static final class State
    {
        private boolean current;
        private long startNs;
        private long chargedNs;
    }
}
