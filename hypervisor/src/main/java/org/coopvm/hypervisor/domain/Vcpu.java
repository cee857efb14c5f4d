package org.coopvm.hypervisor.domain;

import org.coopvm.rings.domain.VcpuInfoDescriptor;

/**
 * The hypervisor's view of one vCPU: online or not, its runstate accounting, the hypercall it
 * waits in (SCHEDOP_block or SCHEDOP_poll, answered later) and its timers' generations (a timer
 * whose generation no longer matches was cancelled).
 *
 * <p>Thread safety: under the hypervisor lock, except the runstate accounting ({@link #runstate()},
 * {@link #entryTimeNs()}, {@link #timesNs()}), which the CPU scheduler owns: it changes and reads
 * them under its own lock only (others ask it for a copy).
 */
public final class Vcpu
{
    /** Not waiting in a hypercall. */
    public static final int WAIT_NONE = 0;
    /** Waiting in SCHEDOP_block. */
    public static final int WAIT_BLOCK = 1;
    /** Waiting in SCHEDOP_poll. */
    public static final int WAIT_POLL = 2;

    private final int id;
    private boolean online;
    private int runstate = VcpuInfoDescriptor.RUNSTATE_OFFLINE;
    private long entryTimeNs;
    private final long[] timesNs = new long[VcpuInfoDescriptor.RUNSTATE_COUNT];

    private int waitKind = WAIT_NONE;
    private long waitCallId;
    private int waitOp;
    private long waitGeneration;
    private final int[] pollPorts = new int[org.coopvm.rings.hypercall.SchedOpDescriptor.MAX_POLL_PORTS];
    private int pollCount;

    private long singleshotGeneration;
    private long periodicGeneration;
    private long periodNs;

    Vcpu(final int id)
    {
        this.id = id;
    }

    /** @return the vCPU id. */
    public int id()
    {
        return id;
    }

    /** @return whether it is up. */
    public boolean isOnline()
    {
        return online;
    }

    /** @return the runstate, a {@code VcpuInfoDescriptor.RUNSTATE_*} value. */
    public int runstate()
    {
        return runstate;
    }

    /** @return when the current runstate began, ns. */
    public long entryTimeNs()
    {
        return entryTimeNs;
    }

    /** @return ns spent in each runstate, up to the last change (do not modify). */
    public long[] timesNs()
    {
        return timesNs;
    }

    /** @return WAIT_NONE, WAIT_BLOCK or WAIT_POLL. */
    public int waitKind()
    {
        return waitKind;
    }

    /** @return the call id of the hypercall it waits in. */
    public long waitCallId()
    {
        return waitCallId;
    }

    /** @return the op of the hypercall it waits in. */
    public int waitOp()
    {
        return waitOp;
    }

    /** @return the generation of the current wait (poll timeouts carry it). */
    public long waitGeneration()
    {
        return waitGeneration;
    }

    /**
     * @param port a port.
     * @return whether the vCPU polls that port.
     */
    public boolean pollsPort(final int port)
    {
        for (int i = 0; i < pollCount; i++)
        {
            if (pollPorts[i] == port)
            {
                return true;
            }
        }
        return false;
    }

    /** @return the singleshot timer's generation. */
    public long singleshotGeneration()
    {
        return singleshotGeneration;
    }

    /** @return a new singleshot generation, cancelling any armed one. */
    public long nextSingleshotGeneration()
    {
        return ++singleshotGeneration;
    }

    /** @return the periodic timer's generation. */
    public long periodicGeneration()
    {
        return periodicGeneration;
    }

    /**
     * @param periodNs the new period, 0 to stop.
     * @return a new periodic generation, cancelling any armed one.
     */
    public long nextPeriodicGeneration(final long periodNs)
    {
        this.periodNs = periodNs;
        return ++periodicGeneration;
    }

    /** @return the periodic timer's period, 0 when stopped. */
    public long periodNs()
    {
        return periodNs;
    }

    /**
     * Mark the vCPU as waiting in a hypercall.
     *
     * @param kind   WAIT_BLOCK or WAIT_POLL.
     * @param op     the hypercall number.
     * @param callId the call id to answer.
     * @return the wait's generation.
     */
    public long beginWait(final int kind, final int op, final long callId)
    {
        waitKind = kind;
        waitOp = op;
        waitCallId = callId;
        pollCount = 0;
        return ++waitGeneration;
    }

    /**
     * @param ports the ports a poll waits for.
     * @param count how many.
     */
    public void pollPorts(final int[] ports, final int count)
    {
        System.arraycopy(ports, 0, pollPorts, 0, count);
        pollCount = count;
    }

    /** End the wait (answered or abandoned). */
    public void endWait()
    {
        waitKind = WAIT_NONE;
        pollCount = 0;
        waitGeneration++;
    }

    void online(final boolean online)
    {
        this.online = online;
    }

    /**
     * Account the time in the old runstate and enter a new one.
     *
     * @param state the new runstate.
     * @param nowNs the host clock.
     * @return whether it changed.
     */
    boolean enterRunstate(final int state, final long nowNs)
    {
        if (state == runstate && entryTimeNs != 0)
        {
            return false;
        }
        if (entryTimeNs != 0)
        {
            timesNs[runstate] += Math.max(0, nowNs - entryTimeNs);
        }
        runstate = state;
        entryTimeNs = nowNs;
        return true;
    }
}
