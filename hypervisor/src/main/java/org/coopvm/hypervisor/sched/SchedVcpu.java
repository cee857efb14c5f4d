package org.coopvm.hypervisor.sched;

import java.util.Objects;

/**
 * One vCPU as a {@link Scheduler} sees it. The runtime creates one per vCPU and hands the same
 * object to every call about that vCPU; the algorithm keeps its own per-vCPU data in {@link #priv()}
 * (Xen's {@code unit->priv}).
 *
 * <p>Thread safety: none; used by the scheduler's thread under its lock only.
 */
public final class SchedVcpu
{
    private final int domid;
    private final int vcpuId;
    private SchedParams params;
    private Object priv;

    /**
     * @param domid  the domain.
     * @param vcpuId the vCPU within it.
     * @param params the domain's parameters (shared by its vCPUs; {@link Scheduler#adjust(int, SchedParams, long)}
     *               replaces them).
     */
    public SchedVcpu(final int domid, final int vcpuId, final SchedParams params)
    {
        this.domid = domid;
        this.vcpuId = vcpuId;
        this.params = Objects.requireNonNull(params, "params");
    }

    /** @return the domain id. */
    public int domid()
    {
        return domid;
    }

    /** @return the vCPU id within the domain. */
    public int vcpuId()
    {
        return vcpuId;
    }

    /** @return the domain's scheduling parameters. */
    public SchedParams params()
    {
        return params;
    }

    /** @param params the domain's new scheduling parameters (set by the scheduler in {@code adjust}). */
    public void params(final SchedParams params)
    {
        this.params = Objects.requireNonNull(params, "params");
    }

    /** @return the algorithm's private data, null before {@link Scheduler#insert}. */
    public Object priv()
    {
        return priv;
    }

    /** @param data the algorithm's private data. */
    public void priv(final Object data)
    {
        this.priv = data;
    }

    @Override
    public String toString()
    {
        return "d" + domid + "v" + vcpuId;
    }
}
