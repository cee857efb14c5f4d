package org.coopvm.guest;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.event.EventHandlers;
import org.coopvm.guest.hypercall.VcpuHypercallPort;
import org.coopvm.guest.task.VcpuPlatform;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.channel.ChannelDescriptor;
import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.doorbell.PeerLiveness;
import org.coopvm.rings.doorbell.SpinThenSleepWaitStrategy;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.doorbell.WakeCondition;
import org.coopvm.rings.domain.SharedInfoDescriptor;
import org.coopvm.rings.domain.VcpuInfoDescriptor;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The guest kernel's {@link VcpuPlatform}: upcalls from shared info, the safe point, and idle
 * sleep on the doorbell of the vCPU's response channel (the host rings it for a response and to
 * kick the vCPU after setting upcall_pending). A PEER_GONE from that sleep means the host is gone:
 * the kernel stops.
 *
 * <p>Thread safety: as {@link VcpuPlatform}.
 */
final class KernelVcpuPlatform implements VcpuPlatform
{
    private final EventHandlers events;
    private final VcpuHypercallPort[] ports;
    private final SpinThenSleepWaitStrategy[] waits;
    private final AtomicBuffer sharedInfo;
    private final Runnable hostGone;
    private final LongAdder preemptRequests = new LongAdder();

    KernelVcpuPlatform(
        final EventHandlers events,
        final VcpuHypercallPort[] ports,
        final List<MessageChannel> responseChannels,
        final AtomicBuffer sharedInfo,
        final KernelConfig config,
        final Runnable hostGone)
    {
        this.events = events;
        this.ports = ports;
        this.sharedInfo = sharedInfo;
        this.hostGone = hostGone;
        this.waits = new SpinThenSleepWaitStrategy[ports.length];
        for (int k = 0; k < ports.length; k++)
        {
            final PeerLiveness host = new PeerLiveness().wrap(
                responseChannels.get(k).region().payloadBuffer(), ChannelDescriptor.PRODUCER_LIVENESS_OFFSET);
            final ChannelConsumer consumer = ports[k].responses();
            waits[k] = new SpinThenSleepWaitStrategy(config.waitConfig(), consumer.doorbell(), host, config.epochClock());
        }
    }

    @Override
    public boolean hasExternalWork(final int vcpu)
    {
        return events.isUpcallPending(vcpu) || ports[vcpu].hasStrayResponses();
    }

    @Override
    public int doExternalWork(final int vcpu)
    {
        return events.dispatch(vcpu) + ports[vcpu].drainStrayResponses();
    }

    /** The scheduler issue acts on the preempt flag here; for now it is only counted. */
    @Override
    public void safePoint(final int vcpu)
    {
        final int flags = sharedInfo.getIntVolatile(controlFlagsOffset(vcpu));
        if ((flags & VcpuInfoDescriptor.CONTROL_PREEMPT_REQUESTED) != 0)
        {
            preemptRequests.increment();
        }
    }

    @Override
    public WaitResult idle(final int vcpu, final WakeCondition condition, final long timeoutNs)
    {
        final WaitResult result = waits[vcpu].await(condition, timeoutNs);
        if (result == WaitResult.PEER_GONE)
        {
            hostGone.run();
        }
        return result;
    }

    @Override
    public void kick(final int vcpu)
    {
        ports[vcpu].responses().doorbell().wakeIfSleeping();
    }

    /** @return safe points that saw the preempt flag set. */
    long preemptRequests()
    {
        return preemptRequests.sum();
    }

    private static int controlFlagsOffset(final int vcpu)
    {
        return SharedInfoDescriptor.VCPU_INFO_OFFSET + vcpu * VcpuInfoDescriptor.VCPU_INFO_LENGTH + VcpuInfoDescriptor.CONTROL_FLAGS_OFFSET;
    }
}
