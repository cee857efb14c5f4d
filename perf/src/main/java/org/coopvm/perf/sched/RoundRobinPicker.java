package org.coopvm.perf.sched;

import org.coopvm.hypervisor.sched.Priority;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedVcpu;
import org.coopvm.hypervisor.sched.Scheduler;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.VcpuSchedState;

/**
 * The peer of the decision-cost measurement: the least a {@link Scheduler} can do. One circular
 * queue of runnable vCPUs, each runs for the host's slice, then goes to the back; no weights, no
 * credit, no priorities, no accounting (its tick does nothing). Not offered to users (not listed
 * for {@code ServiceLoader}).
 *
 * <p>Thread safety: not thread-safe, like every algorithm.
 */
final class RoundRobinPicker implements Scheduler
{
    private SchedVcpu[] queue = new SchedVcpu[16];
    private int head;
    private int size;
    private long sliceNs;
    private long[] sliceEndNs;
    private Decision[] kept;

    @Override
    public String name()
    {
        return "round-robin";
    }

    @Override
    public void init(final SchedulerSettings settings)
    {
        sliceNs = settings.sliceNs();
        sliceEndNs = new long[settings.slots()];
        kept = new Decision[settings.slots()];
    }

    @Override
    public void insert(final SchedVcpu v, final long nowNs)
    {
        v.priv(Boolean.FALSE);
    }

    @Override
    public void remove(final SchedVcpu v, final long nowNs)
    {
        sleep(v, nowNs);
    }

    @Override
    public void wake(final SchedVcpu v, final long nowNs)
    {
        if (v.priv() != Boolean.TRUE)
        {
            v.priv(Boolean.TRUE);
            addLast(v);
        }
    }

    @Override
    public void sleep(final SchedVcpu v, final long nowNs)
    {
        v.priv(Boolean.FALSE);
        final SchedVcpu[] rest = new SchedVcpu[queue.length];
        int n = 0;
        for (int i = 0; i < size; i++)
        {
            final SchedVcpu q = queue[(head + i) % queue.length];
            if (q != v)
            {
                rest[n++] = q;
            }
        }
        queue = rest;
        head = 0;
        size = n;
    }

    @Override
    public void yield(final SchedVcpu v, final long nowNs)
    {
        addLast(v);
    }

    @Override
    public void yieldTo(final SchedVcpu from, final SchedVcpu to, final long nowNs)
    {
        addLast(from);
    }

    @Override
    public void charge(final SchedVcpu v, final long cpuNs, final long nowNs)
    {
    }

    @Override
    public void tick(final long nowNs)
    {
    }

    @Override
    public Decision schedule(final int slot, final SchedVcpu current, final long nowNs)
    {
        if (current != null && (size == 0 || nowNs - sliceEndNs[slot] < 0))
        {
            return kept[slot];
        }
        if (current != null)
        {
            addLast(current);
        }
        if (size == 0)
        {
            return Decision.IDLE;
        }
        final SchedVcpu next = queue[head];
        queue[head] = null;
        head = (head + 1) % queue.length;
        size--;
        sliceEndNs[slot] = nowNs + sliceNs;
        kept[slot] = new Decision(next, sliceEndNs[slot]);
        return kept[slot];
    }

    @Override
    public void adjust(final int domid, final SchedParams params, final long nowNs)
    {
    }

    @Override
    public void adjust(final SchedulerSettings settings, final long nowNs)
    {
        sliceNs = settings.sliceNs();
    }

    @Override
    public VcpuSchedState state(final SchedVcpu v)
    {
        return new VcpuSchedState(Priority.UNDER, 0);
    }

    private void addLast(final SchedVcpu v)
    {
        if (size == queue.length)
        {
            final SchedVcpu[] bigger = new SchedVcpu[queue.length * 2];
            for (int i = 0; i < size; i++)
            {
                bigger[i] = queue[(head + i) % queue.length];
            }
            queue = bigger;
            head = 0;
        }
        queue[(head + size) % queue.length] = v;
        size++;
    }
}
