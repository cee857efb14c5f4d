package org.coopvm.guest;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.event.EventHandlers;
import org.coopvm.guest.hypercall.VcpuHypercallPort;
import org.coopvm.guest.task.VcpuPlatform;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.channel.ChannelDescriptor;
import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.domain.VcpuSlot;
import org.coopvm.rings.doorbell.AdaptivePollWindow;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.HostDoorbellDescriptor;
import org.coopvm.rings.doorbell.PeerLiveness;
import org.coopvm.rings.doorbell.SpinThenSleepWaitStrategy;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.doorbell.WakeCondition;
import org.coopvm.rings.mem.NativeThread;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.coopvm.rings.domain.VcpuInfoDescriptor.SLOT_REQUEST_IDLE;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.SLOT_REQUEST_RUNNABLE;

/**
 * The guest kernel's {@link VcpuPlatform}: upcalls from shared info, idle sleep on the doorbell
 * of the vCPU's response channel (the host rings it for a response, to kick the vCPU after
 * setting upcall_pending, and to grant a CPU slot), and, when the start info says the host
 * schedules the domain on CPU slots, the slot handshake of each vCPU's vcpu_info ({@link VcpuSlot}):
 * ask for a slot and sleep until granted, give it back when idle or at a safe point that sees the
 * preempt flag, ringing the host's scheduler doorbell after each change. A PEER_GONE from a sleep
 * means the host is gone: the kernel stops.
 *
 * <p>Thread safety: as {@link VcpuPlatform}.
 */
final class KernelVcpuPlatform implements VcpuPlatform
{
    private final EventHandlers events;
    private final VcpuHypercallPort[] ports;
    private final SpinThenSleepWaitStrategy[] waits;
    private final VcpuSlot[] slots;
    private final SlotCondition[] grantConditions;
    private final SlotCondition[] idleConditions;
    private final int[] lastRequest;
    private final Doorbell schedulerDoorbell;
    private final AtomicBuffer hostDoorbell;
    private final Runnable hostGone;
    private final LongAdder preemptRequests = new LongAdder();
    private final LongAdder slotWaits = new LongAdder();
    private final LongAdder idlePollHits = new LongAdder();
    private final LongAdder keptSlotWakes = new LongAdder();
    private final AdaptivePollWindow[] pollWindows;
    private final AdaptivePollWindow[] keepWindows;
    private final KeepCondition[] keepConditions;

    /**
     * @param events            upcall dispatch.
     * @param ports             each vCPU's hypercall port (its response channel is its doorbell).
     * @param responseChannels  the response channels (the host's liveness slot is in them).
     * @param sharedInfo        the shared info payload (vcpu_info slot words).
     * @param schedulerDoorbell the host's scheduler doorbell; {@code null} when the host gives no CPU slots.
     * @param hostDoorbell      the host doorbell region's payload (the slot waiters word).
     * @param config            wait tuning and clocks.
     * @param hostGone          run when a sleep finds the host gone.
     */
    KernelVcpuPlatform(
        final EventHandlers events,
        final VcpuHypercallPort[] ports,
        final List<MessageChannel> responseChannels,
        final AtomicBuffer sharedInfo,
        final Doorbell schedulerDoorbell,
        final AtomicBuffer hostDoorbell,
        final KernelConfig config,
        final Runnable hostGone)
    {
        this.events = events;
        this.ports = ports;
        this.schedulerDoorbell = schedulerDoorbell;
        this.hostDoorbell = hostDoorbell;
        this.hostGone = hostGone;
        this.waits = new SpinThenSleepWaitStrategy[ports.length];
        this.slots = schedulerDoorbell == null ? null : new VcpuSlot[ports.length];
        this.grantConditions = new SlotCondition[ports.length];
        this.idleConditions = new SlotCondition[ports.length];
        this.lastRequest = new int[ports.length];
        this.pollWindows = new AdaptivePollWindow[ports.length];
        this.keepWindows = new AdaptivePollWindow[ports.length];
        this.keepConditions = new KeepCondition[ports.length];
        for (int k = 0; k < ports.length; k++)
        {
            final PeerLiveness host = new PeerLiveness().wrap(
                responseChannels.get(k).region().payloadBuffer(), ChannelDescriptor.PRODUCER_LIVENESS_OFFSET);
            final ChannelConsumer consumer = ports[k].responses();
            pollWindows[k] = new AdaptivePollWindow(config.idlePollNs());
            keepWindows[k] = new AdaptivePollWindow(config.idleSlotKeepNs());
            waits[k] = new SpinThenSleepWaitStrategy(config.waitConfig(), consumer.doorbell(), host, config.epochClock());
            if (slots != null)
            {
                slots[k] = new VcpuSlot().wrap(sharedInfo, k);
                grantConditions[k] = new SlotCondition(slots[k]);
                idleConditions[k] = new SlotCondition(slots[k]);
                keepConditions[k] = new KeepCondition(slots[k]);
            }
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

    @Override
    public void onThreadStart(final int vcpu)
    {
        if (slots != null)
        {
            slots[vcpu].publishNativeTid(NativeThread.currentTid());
        }
    }

    @Override
    public boolean acquireSlot(final int vcpu, final WakeCondition abort)
    {
        if (slots == null || slots[vcpu].holds())
        {
            return true;
        }
        slotWaits.increment();
        slots[vcpu].request(SLOT_REQUEST_RUNNABLE);
        lastRequest[vcpu] = SLOT_REQUEST_RUNNABLE;
        schedulerDoorbell.wakeIfSleeping();
        final SlotCondition granted = grantConditions[vcpu];
        granted.orElse = abort;
        final WaitResult result = waits[vcpu].await(granted, Long.MAX_VALUE);
        if (result == WaitResult.PEER_GONE)
        {
            hostGone.run();
        }
        return slots[vcpu].holds();
    }

    @Override
    public void releaseSlot(final int vcpu, final int request)
    {
        if (slots == null)
        {
            return;
        }
        final boolean held = slots[vcpu].release(request);
        if (held || lastRequest[vcpu] != request)
        {
            lastRequest[vcpu] = request;
            schedulerDoorbell.wakeIfSleeping();
        }
    }

    @Override
    public boolean isPreemptRequested(final int vcpu)
    {
        return slots != null && slots[vcpu].preemptRequested() && slots[vcpu].holds();
    }

    @Override
    public void safePoint(final int vcpu)
    {
        if (isPreemptRequested(vcpu))
        {
            preemptRequests.increment();
            releaseSlot(vcpu, SLOT_REQUEST_RUNNABLE);
        }
    }

    /**
     * Polls for new work a moment while still holding the slot (the vCPU's {@link AdaptivePollWindow},
     * at most {@link KernelConfig#idlePollNs()}), then gives the slot back and sleeps; the sleep
     * also ends when a slot arrives the vCPU did not wait for (a grant that crossed its withdrawn
     * request), so the next idle call gives that one back too. How long it was idle adapts the
     * window.
     */
    @Override
    public WaitResult idle(final int vcpu, final WakeCondition condition, final long timeoutNs)
    {
        if (slots == null)
        {
            return await(vcpu, condition, timeoutNs);
        }
        final long idleStartNs = System.nanoTime();
        WaitResult result = holdIdle(vcpu, condition, timeoutNs, idleStartNs);
        if (result == null)
        {
            releaseSlot(vcpu, SLOT_REQUEST_IDLE);
            idleConditions[vcpu].orElse = condition;
            result = await(vcpu, idleConditions[vcpu], timeoutNs);
        }
        final long idleNs = System.nanoTime() - idleStartNs;
        pollWindows[vcpu].woke(idleNs);
        keepWindows[vcpu].woke(idleNs);
        return result;
    }

    /**
     * Hold on to the slot while idle, unless other vCPUs wait for one (KVM polls only while no other
     * task waits for the CPU): poll, then sleep keeping it, with the request word saying idle
     * meanwhile (without ringing the host: a host that has another vCPU waiting for a slot raises the
     * preempt flag on such a holder), and runnable again when work came.
     *
     * @return READY or TIMED_OUT (still holding the slot), PEER_GONE, or {@code null}: give the slot back and sleep.
     */
    private WaitResult holdIdle(final int vcpu, final WakeCondition condition, final long timeoutNs, final long startNs)
    {
        if ((pollWindows[vcpu].windowNs() == 0 && keepWindows[vcpu].windowNs() == 0) || !slots[vcpu].holds() || othersWaitForSlots())
        {
            return null;
        }
        slots[vcpu].request(SLOT_REQUEST_IDLE);
        WaitResult result = pollHoldingSlot(vcpu, condition, timeoutNs, startNs);
        if (result == null)
        {
            result = sleepHoldingSlot(vcpu, condition, timeoutNs, startNs);
        }
        if (result == WaitResult.READY || result == WaitResult.TIMED_OUT)
        {
            slots[vcpu].request(SLOT_REQUEST_RUNNABLE);
        }
        lastRequest[vcpu] = result == null ? SLOT_REQUEST_IDLE : SLOT_REQUEST_RUNNABLE;
        return result;
    }

    /**
     * After the poll: sleep on the vCPU's doorbell still holding the slot, for the rest of its keep
     * window (or until its next timer), so an event arriving meanwhile runs without a slot round
     * trip through the host's scheduler; the preempt flag (which rings the doorbell) or a revoked
     * slot ends it at once. No CPU is used meanwhile.
     *
     * @return READY or TIMED_OUT (still holding the slot), PEER_GONE, or {@code null}: give the slot back and sleep.
     */
    private WaitResult sleepHoldingSlot(final int vcpu, final WakeCondition condition, final long timeoutNs, final long startNs)
    {
        final long keepNs = keepWindows[vcpu].windowNs() - (System.nanoTime() - startNs);
        if (keepNs <= 0 || !slots[vcpu].holds() || slots[vcpu].preemptRequested())
        {
            return null;
        }
        final KeepCondition keep = keepConditions[vcpu];
        keep.orElse = condition;
        final WaitResult result = await(vcpu, keep, Math.min(keepNs, timeoutNs));
        if (result == WaitResult.PEER_GONE || !slots[vcpu].holds() || slots[vcpu].preemptRequested())
        {
            return result == WaitResult.PEER_GONE ? result : null;
        }
        if (condition.ready())
        {
            keptSlotWakes.increment();
            return WaitResult.READY;
        }
        return timeoutNs <= keepNs ? WaitResult.TIMED_OUT : null;
    }

    private WaitResult await(final int vcpu, final WakeCondition condition, final long timeoutNs)
    {
        final WaitResult result = waits[vcpu].await(condition, timeoutNs);
        if (result == WaitResult.PEER_GONE)
        {
            hostGone.run();
        }
        return result;
    }

    /**
     * Guest halt polling: a vCPU that holds its slot looks for work for up to its poll window (or
     * its next timer), and stops at once when the host asks for the slot.
     *
     * @return READY or TIMED_OUT (still holding the slot), or {@code null}: give the slot back and sleep.
     */
    private WaitResult pollHoldingSlot(final int vcpu, final WakeCondition condition, final long timeoutNs, final long startNs)
    {
        final long windowNs = pollWindows[vcpu].windowNs();
        if (windowNs == 0 || !slots[vcpu].holds())
        {
            return null;
        }
        final long pollNs = Math.min(windowNs, timeoutNs);
        do
        {
            if (condition.ready())
            {
                idlePollHits.increment();
                return WaitResult.READY;
            }
            if (slots[vcpu].preemptRequested())
            {
                return null;
            }
            Thread.onSpinWait();
        }
        while (System.nanoTime() - startNs < pollNs);
        return timeoutNs <= windowNs ? WaitResult.TIMED_OUT : null;
    }

    @Override
    public void kick(final int vcpu)
    {
        ports[vcpu].responses().doorbell().wakeIfSleeping();
    }

    /** @return safe points that saw the preempt flag set (and gave the slot back). */
    long preemptRequests()
    {
        return preemptRequests.sum();
    }

    /** @return idle polls that found work before the vCPU gave its slot back. */
    long idlePollHits()
    {
        return idlePollHits.sum();
    }

    /** @return whether other vCPUs wait for a CPU slot now (the host's slot waiters word): then an idle vCPU gives its slot back at once. */
    private boolean othersWaitForSlots()
    {
        return hostDoorbell.getIntVolatile(HostDoorbellDescriptor.SLOT_WAITERS_OFFSET) != 0;
    }

    /** @return idle vCPUs that work woke while they slept keeping their slot (no slot round trip). */
    long keptSlotWakes()
    {
        return keptSlotWakes.sum();
    }

    /** @return times a vCPU had to ask for a slot and wait for it. */
    long slotWaits()
    {
        return slotWaits.sum();
    }

    /** "The host wants the slot back, or something else ends the wait"; reused per vCPU. */
    private static final class KeepCondition implements WakeCondition
    {
        private final VcpuSlot slot;
        private WakeCondition orElse;

        private KeepCondition(final VcpuSlot slot)
        {
            this.slot = slot;
        }

        @Override
        public boolean ready()
        {
            return slot.preemptRequested() || !slot.holds() || orElse.ready();
        }
    }

    /** "The vCPU holds a slot, or something else ends the wait"; reused per vCPU, so a wait allocates nothing. */
    private static final class SlotCondition implements WakeCondition
    {
        private final VcpuSlot slot;
        private WakeCondition orElse;

        private SlotCondition(final VcpuSlot slot)
        {
            this.slot = slot;
        }

        @Override
        public boolean ready()
        {
            return slot.holds() || orElse.ready();
        }
    }
}
