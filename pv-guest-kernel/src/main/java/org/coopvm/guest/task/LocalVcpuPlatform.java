package org.coopvm.guest.task;

import org.agrona.concurrent.SystemEpochClock;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.DoorbellDescriptor;
import org.coopvm.rings.doorbell.PeerLiveness;
import org.coopvm.rings.doorbell.SpinThenSleepWaitStrategy;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.doorbell.WakeCondition;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

/**
 * A {@link VcpuPlatform} with no hypervisor behind it: no upcalls, a no-op safe point, and one
 * doorbell per vCPU in anonymous memory to sleep on. For tests and for running tasks outside a
 * domain.
 *
 * <p>Thread safety: as {@link VcpuPlatform}; {@link #close()} once every vCPU has stopped.
 */
public final class LocalVcpuPlatform implements VcpuPlatform, AutoCloseable
{
    private final SharedRegion region;
    private final Doorbell[] doorbells;
    private final SpinThenSleepWaitStrategy[] waits;

    /**
     * @param vcpus  how many vCPUs will use it (ids 0..vcpus-1).
     * @param config spin and sleep-slice tuning.
     */
    public LocalVcpuPlatform(final int vcpus, final WaitConfig config)
    {
        region = SharedRegion.createAnonymous(RegionType.DOORBELL, 0, (long)(vcpus + 1) * DoorbellDescriptor.DOORBELL_LENGTH);
        doorbells = new Doorbell[vcpus];
        waits = new SpinThenSleepWaitStrategy[vcpus];
        final PeerLiveness neverGone = new PeerLiveness().wrap(region.payloadBuffer(), vcpus * DoorbellDescriptor.DOORBELL_LENGTH);
        for (int i = 0; i < vcpus; i++)
        {
            doorbells[i] = new Doorbell().wrap(region.payloadBuffer(), i * DoorbellDescriptor.DOORBELL_LENGTH);
            waits[i] = new SpinThenSleepWaitStrategy(config, doorbells[i], neverGone, SystemEpochClock.INSTANCE);
        }
    }

    @Override
    public boolean hasExternalWork(final int vcpu)
    {
        return false;
    }

    @Override
    public int doExternalWork(final int vcpu)
    {
        return 0;
    }

    @Override
    public void safePoint(final int vcpu)
    {
    }

    @Override
    public WaitResult idle(final int vcpu, final WakeCondition condition, final long timeoutNs)
    {
        return waits[vcpu].await(condition, timeoutNs);
    }

    @Override
    public void kick(final int vcpu)
    {
        doorbells[vcpu].wakeIfSleeping();
    }

    /**
     * @param vcpu the vCPU id.
     * @return its doorbell (its counters show how often it was woken).
     */
    public Doorbell doorbell(final int vcpu)
    {
        return doorbells[vcpu];
    }

    /** Unmap the doorbells; call once no vCPU uses them. */
    @Override
    public void close()
    {
        region.close();
    }
}
