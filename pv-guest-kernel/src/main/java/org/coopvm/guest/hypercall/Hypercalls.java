package org.coopvm.guest.hypercall;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Vcpu;
import org.coopvm.rings.hypercall.ConsoleIoOpDescriptor;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;
import org.coopvm.rings.hypercall.GrantTableOpDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.MemoryOpDescriptor;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.coopvm.rings.hypercall.VcpuOpDescriptor;
import org.coopvm.rings.hypercall.XenVersionOpDescriptor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.*;
import static org.coopvm.rings.hypercall.GrantTableOpDescriptor.*;
import static org.coopvm.rings.hypercall.VcpuOpDescriptor.*;

/**
 * Typed hypercall stubs, one method per sub-command. Results are longs (0 or more on success,
 * minus a Xen errno on failure) or small records; errno results are never exceptions. Only a
 * gone host or a stopping kernel throws ({@link HypercallAbortedException}).
 *
 * <p>Thread safety: any thread. On a vCPU thread of this kernel the call goes out on that
 * vCPU's {@link VcpuHypercallPort} and the vCPU waits for the response (its other tasks wait
 * too: call from short steps). From any other thread the call is run as a task on vCPU 0 and the
 * caller waits for it.
 */
public final class Hypercalls
{
    private final VcpuHypercallPort[] ports;
    private final Vcpu[] vcpus;
    private final BooleanSupplier stopping;

    /**
     * @param ports    one port per vCPU, by vCPU id.
     * @param vcpus    the kernel's vCPUs, by id (to recognise the calling thread and to route).
     * @param stopping whether the kernel stops (ends waits).
     */
    public Hypercalls(final VcpuHypercallPort[] ports, final Vcpu[] vcpus, final BooleanSupplier stopping)
    {
        this.ports = ports.clone();
        this.vcpus = vcpus.clone();
        this.stopping = stopping;
    }

    // ---------------------------------------------------------------- xen_version, console_io

    /** @return {@code (major << 16) | minor} of the hypervisor's ABI, or minus an errno. */
    public long xenVersion()
    {
        final VcpuHypercallPort p = local();
        return p == null ? routed(this::xenVersion) : p.invoke(HypercallOp.XEN_VERSION, XenVersionOpDescriptor.XENVER_VERSION, 0);
    }

    /**
     * @param submap the feature submap index.
     * @return the feature bits of that submap (0 or more), or minus an errno.
     */
    public long xenFeatures(final int submap)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> xenFeatures(submap));
        }
        p.args().putInt(XenVersionOpDescriptor.GET_FEATURES_SUBMAP_OFFSET, submap);
        final long result = p.invoke(HypercallOp.XEN_VERSION, XenVersionOpDescriptor.XENVER_GET_FEATURES, 4);
        return result < 0 ? result : p.output().getInt(XenVersionOpDescriptor.GET_FEATURES_BITS_OUT_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * Write bytes to the domain's console ({@code CONSOLEIO_write}).
     *
     * @param bytes  the bytes.
     * @param offset where they start.
     * @param length how many, at most {@link ConsoleIoOpDescriptor#MAX_WRITE_BYTES}.
     * @return 0, or minus an errno.
     */
    public long consoleWrite(final byte[] bytes, final int offset, final int length)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> consoleWrite(bytes, offset, length));
        }
        if (length < 0 || length > ConsoleIoOpDescriptor.MAX_WRITE_BYTES)
        {
            return -Errno.EINVAL;
        }
        p.args().putInt(ConsoleIoOpDescriptor.WRITE_LENGTH_OFFSET, length);
        p.args().putBytes(ConsoleIoOpDescriptor.WRITE_BYTES_OFFSET, bytes, offset, length);
        return p.invoke(HypercallOp.CONSOLE_IO, ConsoleIoOpDescriptor.CONSOLEIO_WRITE, ConsoleIoOpDescriptor.WRITE_BYTES_OFFSET + length);
    }

    // ---------------------------------------------------------------- sched_op

    /**
     * SCHEDOP_yield: give the vCPU's CPU slot back and wait for the next grant (the scheduler may
     * run other vCPUs first; on a host without CPU slots only the hypercall is made).
     *
     * @return 0, or minus an errno.
     */
    public long schedYield()
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(this::schedYield);
        }
        return yieldSlot(p.invoke(HypercallOp.SCHED_OP, SchedOpDescriptor.SCHEDOP_YIELD, 0));
    }

    /**
     * Directed yield (CoopVM's {@code SCHEDOP_coop_yield_to}): give the slot back as
     * {@link #schedYield()} does, and ask the scheduler to run {@code vcpu} of this domain next
     * (a paravirtual spinlock yields to the holder this way).
     *
     * @param vcpu a vCPU of this domain other than the caller.
     * @return 0, or minus an errno ({@code -ENOENT} no such vCPU, {@code -EINVAL} the caller itself);
     *         on an error the slot is kept.
     */
    public long schedYieldTo(final int vcpu)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> schedYieldTo(vcpu));
        }
        p.args().putInt(SchedOpDescriptor.YIELD_TO_VCPU_OFFSET, vcpu);
        return yieldSlot(p.invoke(HypercallOp.SCHED_OP, SchedOpDescriptor.SCHEDOP_COOP_YIELD_TO, 4));
    }

    /**
     * CoopVM's {@code SCHEDOP_coop_slice}: ask for a shorter time slice for this domain (a
     * latency-sensitive guest), never longer than the slice the toolstack configured, or go back to
     * that one. The request stays until the next one.
     *
     * @param sliceMs 1..the configured slice, or 0 for the configured slice.
     * @return the slice in effect afterwards, ms (asking 0 tells the configured one); {@code -EINVAL}
     *         for a value outside 0..the configured slice (nothing changed), or another minus errno.
     */
    public long schedSlice(final int sliceMs)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> schedSlice(sliceMs));
        }
        p.args().putInt(SchedOpDescriptor.SLICE_MS_OFFSET, sliceMs);
        return p.invoke(HypercallOp.SCHED_OP, SchedOpDescriptor.SCHEDOP_COOP_SLICE, 4);
    }

    /**
     * SCHEDOP_block; the vCPU's CPU slot is given back while it waits and asked for again after.
     *
     * @return 0 once an event is pending for the calling vCPU (the host answers only then).
     */
    public long schedBlock()
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(this::schedBlock);
        }
        final Vcpu vcpu = Vcpu.current();
        vcpu.releaseSlot();
        try
        {
            return p.invoke(HypercallOp.SCHED_OP, SchedOpDescriptor.SCHEDOP_BLOCK, 0);
        }
        finally
        {
            vcpu.reacquireSlot();
        }
    }

    /**
     * Block until one of {@code ports} is pending or the deadline passes (SCHEDOP_poll); the
     * vCPU's CPU slot is given back while it waits and asked for again after.
     *
     * @param ports      up to {@link SchedOpDescriptor#MAX_POLL_PORTS} local ports.
     * @param deadlineNs absolute deadline on the host clock ({@link System#nanoTime()} of this
     *                   machine), 0 for none.
     * @return 0 (an event is pending, or the deadline passed, as Xen), or minus an errno.
     */
    public long schedPoll(final int[] ports, final long deadlineNs)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> schedPoll(ports, deadlineNs));
        }
        if (ports.length > SchedOpDescriptor.MAX_POLL_PORTS)
        {
            return -Errno.EINVAL;
        }
        final MutableDirectBuffer args = p.args();
        args.putLong(SchedOpDescriptor.POLL_TIMEOUT_OFFSET, deadlineNs);
        args.putInt(SchedOpDescriptor.POLL_NR_PORTS_OFFSET, ports.length);
        for (int i = 0; i < ports.length; i++)
        {
            args.putInt(SchedOpDescriptor.POLL_PORTS_OFFSET + 4 * i, ports[i]);
        }
        final Vcpu vcpu = Vcpu.current();
        vcpu.releaseSlot();
        try
        {
            return p.invoke(HypercallOp.SCHED_OP, SchedOpDescriptor.SCHEDOP_POLL, SchedOpDescriptor.POLL_PORTS_OFFSET + 4 * ports.length);
        }
        finally
        {
            vcpu.reacquireSlot();
        }
    }

    /**
     * Tell the host this domain shuts down. The kernel stops its vCPUs afterwards.
     *
     * @param reason why.
     * @return 0, or minus an errno.
     */
    public long schedShutdown(final ShutdownReason reason)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> schedShutdown(reason));
        }
        p.args().putInt(SchedOpDescriptor.SHUTDOWN_REASON_OFFSET, reason.code());
        return p.invoke(HypercallOp.SCHED_OP, SchedOpDescriptor.SCHEDOP_SHUTDOWN, 4);
    }

    /**
     * Arm, re-arm or destroy a domain watchdog.
     *
     * @param id       0 for a new watchdog, else its id.
     * @param timeoutS seconds until it fires; 0 destroys it.
     * @return the watchdog id, 0 after a destroy, or minus an errno.
     */
    public long schedWatchdog(final int id, final int timeoutS)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> schedWatchdog(id, timeoutS));
        }
        p.args().putInt(SchedOpDescriptor.WATCHDOG_ID_OFFSET, id);
        p.args().putInt(SchedOpDescriptor.WATCHDOG_TIMEOUT_OFFSET, timeoutS);
        return p.invoke(HypercallOp.SCHED_OP, SchedOpDescriptor.SCHEDOP_WATCHDOG, 8);
    }

    // ---------------------------------------------------------------- vcpu_op

    /**
     * @param vcpu the target vCPU.
     * @return 0, or minus an errno.
     */
    public long vcpuUp(final int vcpu)
    {
        return vcpuOp(VCPUOP_UP, vcpu);
    }

    /**
     * @param vcpu the target vCPU.
     * @return 0, or minus an errno.
     */
    public long vcpuDown(final int vcpu)
    {
        return vcpuOp(VCPUOP_DOWN, vcpu);
    }

    /**
     * @param vcpu the target vCPU.
     * @return 1 when up, 0 when down, or minus an errno.
     */
    public long vcpuIsUp(final int vcpu)
    {
        return vcpuOp(VCPUOP_IS_UP, vcpu);
    }

    /**
     * @param vcpu the target vCPU.
     * @return its runstate and the time spent in each state.
     */
    public RunstateInfo vcpuRunstateInfo(final int vcpu)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> vcpuRunstateInfo(vcpu));
        }
        p.args().putInt(TARGET_VCPU_OFFSET, vcpu);
        final long result = p.invoke(HypercallOp.VCPU_OP, VCPUOP_GET_RUNSTATE_INFO, 4);
        if (result < 0)
        {
            return new RunstateInfo(result, 0, 0, 0, 0, 0, 0);
        }
        final DirectBuffer out = p.output();
        return new RunstateInfo(result, out.getInt(RUNSTATE_STATE_OUT_OFFSET), out.getLong(RUNSTATE_ENTRY_TIME_OUT_OFFSET),
            out.getLong(RUNSTATE_TIME_OUT_OFFSET), out.getLong(RUNSTATE_TIME_OUT_OFFSET + 8),
            out.getLong(RUNSTATE_TIME_OUT_OFFSET + 16), out.getLong(RUNSTATE_TIME_OUT_OFFSET + 24));
    }

    /**
     * Raise VIRQ_TIMER on {@code vcpu} every {@code periodNs}.
     *
     * @param vcpu     the target vCPU.
     * @param periodNs the period, at least {@link VcpuOpDescriptor#MIN_PERIOD_NS}.
     * @return 0, or minus an errno.
     */
    public long vcpuSetPeriodicTimer(final int vcpu, final long periodNs)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> vcpuSetPeriodicTimer(vcpu, periodNs));
        }
        p.args().putInt(TARGET_VCPU_OFFSET, vcpu);
        p.args().putLong(PERIOD_NS_OFFSET, periodNs);
        return p.invoke(HypercallOp.VCPU_OP, VCPUOP_SET_PERIODIC_TIMER, PERIOD_NS_OFFSET + 8);
    }

    /**
     * @param vcpu the target vCPU.
     * @return 0, or minus an errno.
     */
    public long vcpuStopPeriodicTimer(final int vcpu)
    {
        return vcpuOp(VCPUOP_STOP_PERIODIC_TIMER, vcpu);
    }

    /**
     * Raise VIRQ_TIMER on {@code vcpu} once, at {@code deadlineNs}.
     *
     * @param vcpu       the target vCPU.
     * @param deadlineNs absolute time, host clock.
     * @param flags      Xen's {@code VCPU_SSHOTTMR_*} flags.
     * @return 0, or minus an errno.
     */
    public long vcpuSetSingleshotTimer(final int vcpu, final long deadlineNs, final int flags)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> vcpuSetSingleshotTimer(vcpu, deadlineNs, flags));
        }
        p.args().putInt(TARGET_VCPU_OFFSET, vcpu);
        p.args().putLong(SINGLESHOT_DEADLINE_OFFSET, deadlineNs);
        p.args().putInt(SINGLESHOT_FLAGS_OFFSET, flags);
        return p.invoke(HypercallOp.VCPU_OP, VCPUOP_SET_SINGLESHOT_TIMER, SINGLESHOT_FLAGS_OFFSET + 4);
    }

    /**
     * @param vcpu the target vCPU.
     * @return 0, or minus an errno.
     */
    public long vcpuStopSingleshotTimer(final int vcpu)
    {
        return vcpuOp(VCPUOP_STOP_SINGLESHOT_TIMER, vcpu);
    }

    // ---------------------------------------------------------------- event_channel_op

    /**
     * Allocate a port that {@code remoteDom} may bind to.
     *
     * @param remoteDom the domain allowed to bind.
     * @return the local port, or minus an errno.
     */
    public long evtchnAllocUnbound(final int remoteDom)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> evtchnAllocUnbound(remoteDom));
        }
        p.args().putInt(DOM_OFFSET, DOMID_SELF);
        p.args().putInt(ALLOC_UNBOUND_REMOTE_DOM_OFFSET, remoteDom);
        return p.invoke(HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_ALLOC_UNBOUND, 8);
    }

    /**
     * Connect a new local port to {@code remotePort} of {@code remoteDom} (allocated unbound for us).
     *
     * @param remoteDom  the remote domain.
     * @param remotePort its unbound port.
     * @return the local port, or minus an errno.
     */
    public long evtchnBindInterdomain(final int remoteDom, final int remotePort)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> evtchnBindInterdomain(remoteDom, remotePort));
        }
        p.args().putInt(BIND_INTERDOMAIN_REMOTE_DOM_OFFSET, remoteDom);
        p.args().putInt(BIND_INTERDOMAIN_REMOTE_PORT_OFFSET, remotePort);
        return p.invoke(HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_BIND_INTERDOMAIN, 8);
    }

    /**
     * @param virq the virtual IRQ (e.g. {@link EventChannelOpDescriptor#VIRQ_TIMER}).
     * @param vcpu the vCPU to notify.
     * @return the local port, or minus an errno.
     */
    public long evtchnBindVirq(final int virq, final int vcpu)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> evtchnBindVirq(virq, vcpu));
        }
        p.args().putInt(BIND_VIRQ_VIRQ_OFFSET, virq);
        p.args().putInt(BIND_VIRQ_VCPU_OFFSET, vcpu);
        return p.invoke(HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_BIND_VIRQ, 8);
    }

    /**
     * @param vcpu the vCPU the IPI port notifies.
     * @return the local port, or minus an errno.
     */
    public long evtchnBindIpi(final int vcpu)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> evtchnBindIpi(vcpu));
        }
        p.args().putInt(BIND_IPI_VCPU_OFFSET, vcpu);
        return p.invoke(HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_BIND_IPI, 4);
    }

    /**
     * Notify the other end of a local port.
     *
     * @param port the local port.
     * @return 0, or minus an errno.
     */
    public long evtchnSend(final int port)
    {
        return portOp(EVTCHNOP_SEND, port);
    }

    /**
     * Notify the other end of a local port without waiting for the host
     * ({@code EVTCHNOP_coop_send_async}): what a frontend does after pushing requests, as Linux's
     * {@code notify_remote_via_evtchn}, which ignores the result too. From a thread that is not
     * one of this kernel's vCPUs the notification is handed to vCPU 0 and this returns at once.
     *
     * @param port the local port.
     */
    public void evtchnNotify(final int port)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            vcpus[0].submit(ctx ->
            {
                evtchnNotify(port);
                return StepResult.DONE;
            });
            return;
        }
        p.args().putInt(PORT_OFFSET, port);
        p.post(HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_COOP_SEND_ASYNC, 4);
    }

    /**
     * @param port the local port.
     * @return 0, or minus an errno.
     */
    public long evtchnClose(final int port)
    {
        return portOp(EVTCHNOP_CLOSE, port);
    }

    /**
     * Unmask a port; a pending event is delivered again.
     *
     * @param port the local port.
     * @return 0, or minus an errno.
     */
    public long evtchnUnmask(final int port)
    {
        return portOp(EVTCHNOP_UNMASK, port);
    }

    /**
     * @param port a local port.
     * @param vcpu the vCPU it should notify from now on.
     * @return 0, or minus an errno.
     */
    public long evtchnBindVcpu(final int port, final int vcpu)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> evtchnBindVcpu(port, vcpu));
        }
        p.args().putInt(PORT_OFFSET, port);
        p.args().putInt(BIND_VCPU_VCPU_OFFSET, vcpu);
        return p.invoke(HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_BIND_VCPU, 8);
    }

    /**
     * @param dom  the domain ({@link EventChannelOpDescriptor#DOMID_SELF} for this one).
     * @param port its port.
     * @return the port's binding.
     */
    public EvtchnStatus evtchnStatus(final int dom, final int port)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> evtchnStatus(dom, port));
        }
        p.args().putInt(DOM_OFFSET, dom);
        p.args().putInt(STATUS_PORT_OFFSET, port);
        final long result = p.invoke(HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_STATUS, 8);
        final DirectBuffer out = p.output();
        return result < 0 ? new EvtchnStatus(result, 0, 0, 0, 0) : new EvtchnStatus(result, out.getInt(STATUS_STATUS_OUT_OFFSET),
            out.getInt(STATUS_VCPU_OUT_OFFSET), out.getInt(STATUS_REMOTE_DOM_OUT_OFFSET), out.getInt(STATUS_REMOTE_PORT_OUT_OFFSET));
    }

    /**
     * Close every port of a domain.
     *
     * @param dom the domain ({@link EventChannelOpDescriptor#DOMID_SELF} for this one).
     * @return 0, or minus an errno.
     */
    public long evtchnReset(final int dom)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> evtchnReset(dom));
        }
        p.args().putInt(DOM_OFFSET, dom);
        return p.invoke(HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_RESET, 4);
    }

    // ---------------------------------------------------------------- grant_table_op

    /**
     * @param nrFrames grant table frames wanted.
     * @return a {@code GNTST_*} status (0 = okay), or minus an errno.
     */
    public long grantSetupTable(final int nrFrames)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> grantSetupTable(nrFrames));
        }
        p.args().putInt(SETUP_NR_FRAMES_OFFSET, nrFrames);
        return statusOf(p, p.invoke(HypercallOp.GRANT_TABLE_OP, GNTTABOP_SETUP_TABLE, 4), STATUS_OUT_OFFSET);
    }

    /** @return the grant table's size now and at most. */
    public GrantQuerySize grantQuerySize()
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(this::grantQuerySize);
        }
        final long result = p.invoke(HypercallOp.GRANT_TABLE_OP, GNTTABOP_QUERY_SIZE, 0);
        final DirectBuffer out = p.output();
        return result < 0 ? new GrantQuerySize(result, 0, 0, 0) : new GrantQuerySize(result,
            out.getInt(QUERY_NR_FRAMES_OUT_OFFSET), out.getInt(QUERY_MAX_FRAMES_OUT_OFFSET), out.getInt(QUERY_STATUS_OUT_OFFSET));
    }

    /**
     * Map a page another domain granted us. Only after success may its page be accessed.
     *
     * @param granter  the granting domain.
     * @param ref      its grant reference.
     * @param readonly map read-only ({@code GNTMAP_readonly}).
     * @return status, handle, granter and frame.
     */
    public GrantMapResult grantMap(final int granter, final int ref, final boolean readonly)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> grantMap(granter, ref, readonly));
        }
        p.args().putInt(MAP_FLAGS_OFFSET, readonly ? GNTMAP_READONLY : 0);
        p.args().putInt(MAP_DOM_OFFSET, granter);
        p.args().putInt(MAP_REF_OFFSET, ref);
        final long result = p.invoke(HypercallOp.GRANT_TABLE_OP, GNTTABOP_MAP_GRANT_REF, 12);
        final DirectBuffer out = p.output();
        return result < 0 ? new GrantMapResult(result, 0, 0, 0, 0) : new GrantMapResult(result,
            out.getInt(MAP_STATUS_OUT_OFFSET), out.getInt(MAP_HANDLE_OUT_OFFSET), out.getInt(MAP_DOM_OUT_OFFSET), out.getInt(MAP_FRAME_OUT_OFFSET));
    }

    /**
     * @param handle what {@link #grantMap} returned.
     * @return a {@code GNTST_*} status (0 = okay), or minus an errno.
     */
    public long grantUnmap(final int handle)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> grantUnmap(handle));
        }
        p.args().putInt(UNMAP_HANDLE_OFFSET, handle);
        return statusOf(p, p.invoke(HypercallOp.GRANT_TABLE_OP, GNTTABOP_UNMAP_GRANT_REF, 4), STATUS_OUT_OFFSET);
    }

    /**
     * Copy bytes between pages by the hypervisor; never crosses a page.
     *
     * @param src    source: a grant ref (with {@code GNTCOPY_source_gref}) or a frame of {@code src.dom}.
     * @param dst    destination, likewise.
     * @param length bytes; offset + length at most 4096 on each side.
     * @return a {@code GNTST_*} status (0 = okay), or minus an errno.
     */
    public long grantCopy(final GrantCopySide src, final GrantCopySide dst, final int length)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> grantCopy(src, dst, length));
        }
        final MutableDirectBuffer args = p.args();
        args.putInt(COPY_SRC_REF_OFFSET, src.refOrFrame());
        args.putInt(COPY_SRC_DOM_OFFSET, src.dom());
        args.putShort(COPY_SRC_PAGE_OFFSET, (short)src.offset());
        args.putInt(COPY_DST_REF_OFFSET, dst.refOrFrame());
        args.putInt(COPY_DST_DOM_OFFSET, dst.dom());
        args.putShort(COPY_DST_PAGE_OFFSET, (short)dst.offset());
        args.putShort(COPY_LEN_OFFSET, (short)length);
        args.putShort(COPY_FLAGS_OFFSET, (short)((src.isGrantRef() ? GNTCOPY_SOURCE_GREF : 0) | (dst.isGrantRef() ? GNTCOPY_DEST_GREF : 0)));
        return statusOf(p, p.invoke(HypercallOp.GRANT_TABLE_OP, GNTTABOP_COPY, COPY_ARGS_LENGTH), STATUS_OUT_OFFSET);
    }

    // ---------------------------------------------------------------- memory_op, multicall

    /**
     * @param dom the domain ({@link EventChannelOpDescriptor#DOMID_SELF} for this one).
     * @return pages currently reserved, or minus an errno.
     */
    public long memoryCurrentReservation(final int dom)
    {
        return memoryOp(MemoryOpDescriptor.XENMEM_CURRENT_RESERVATION, dom);
    }

    /**
     * @param dom the domain ({@link EventChannelOpDescriptor#DOMID_SELF} for this one).
     * @return the most pages it may reserve, or minus an errno.
     */
    public long memoryMaximumReservation(final int dom)
    {
        return memoryOp(MemoryOpDescriptor.XENMEM_MAXIMUM_RESERVATION, dom);
    }

    /**
     * XENMEM_increase_reservation: populate the listed extents of this domain (with no machine
     * frames distinct from guest frames it does what {@link #populatePhysmap} does).
     *
     * @param extentStart guest-physical byte address of the gpfn array in this domain's memory
     *                    ({@link ExtentList#address()}); its pages must be populated.
     * @param nrExtents   gpfns in the array, at most {@link MemoryOpDescriptor#MAX_EXTENTS}.
     * @param order       log2 of pages per extent, 0..{@link MemoryOpDescriptor#MAX_EXTENT_ORDER}.
     * @return extents done (partial success is normal: the rest were not), or minus an errno
     *         when none was ({@code -E2BIG} over max pages, {@code -ENOMEM} pool short,
     *         {@code -EINVAL} bad extent, {@code -EFAULT} bad array).
     */
    public long increaseReservation(final long extentStart, final int nrExtents, final int order)
    {
        return reservation(MemoryOpDescriptor.XENMEM_INCREASE_RESERVATION, extentStart, nrExtents, order);
    }

    /**
     * XENMEM_decrease_reservation: give the listed extents back to the host; their frames must
     * not be touched afterwards (they read zero, and writing them uses host memory nobody counts).
     *
     * @param extentStart as for {@link #increaseReservation}.
     * @param nrExtents   as for {@link #increaseReservation}.
     * @param order       as for {@link #increaseReservation}.
     * @return extents done, or minus an errno when none was ({@code -EINVAL} an extent not
     *         wholly populated, {@code -EBUSY} a frame another domain maps, {@code -EFAULT}).
     */
    public long decreaseReservation(final long extentStart, final int nrExtents, final int order)
    {
        return reservation(MemoryOpDescriptor.XENMEM_DECREASE_RESERVATION, extentStart, nrExtents, order);
    }

    /**
     * XENMEM_populate_physmap: the listed extents get zero pages from the host's pool.
     *
     * @see #increaseReservation
     */
    public long populatePhysmap(final long extentStart, final int nrExtents, final int order)
    {
        return reservation(MemoryOpDescriptor.XENMEM_POPULATE_PHYSMAP, extentStart, nrExtents, order);
    }

    /**
     * Issue a batch in one round trip.
     *
     * @param batch the calls.
     * @return the batch result and one result per call.
     */
    public MulticallResult multicall(final Multicall batch)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> multicall(batch));
        }
        final int argsLength = batch.writeArgs(p.args(), 0);
        final long result = p.invoke(HypercallOp.MULTICALL, 0, argsLength);
        if (result < 0)
        {
            return new MulticallResult(result, new long[0]);
        }
        final long[] results = new long[Math.min(batch.count(), p.outputLength() / 8)];
        for (int i = 0; i < results.length; i++)
        {
            results[i] = p.output().getLong(8 * i);
        }
        return new MulticallResult(result, results);
    }

    // ---------------------------------------------------------------- plumbing

    /** After a yield hypercall the host answered with 0: give the slot back (staying runnable) and wait for the next grant. */
    private static long yieldSlot(final long result)
    {
        if (result == 0)
        {
            final Vcpu vcpu = Vcpu.current();
            vcpu.yieldSlot();
            vcpu.reacquireSlot();
        }
        return result;
    }

    private long vcpuOp(final int cmd, final int vcpu)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> vcpuOp(cmd, vcpu));
        }
        p.args().putInt(TARGET_VCPU_OFFSET, vcpu);
        return p.invoke(HypercallOp.VCPU_OP, cmd, 4);
    }

    private long portOp(final int cmd, final int port)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> portOp(cmd, port));
        }
        p.args().putInt(PORT_OFFSET, port);
        return p.invoke(HypercallOp.EVENT_CHANNEL_OP, cmd, 4);
    }

    private long memoryOp(final int cmd, final int dom)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> memoryOp(cmd, dom));
        }
        p.args().putInt(MemoryOpDescriptor.RESERVATION_DOM_OFFSET, dom);
        return p.invoke(HypercallOp.MEMORY_OP, cmd, 4);
    }

    private long reservation(final int cmd, final long extentStart, final int nrExtents, final int order)
    {
        final VcpuHypercallPort p = local();
        if (p == null)
        {
            return routed(() -> reservation(cmd, extentStart, nrExtents, order));
        }
        final MutableDirectBuffer args = p.args();
        args.putLong(MemoryOpDescriptor.EXTENT_START_OFFSET, extentStart);
        args.putLong(MemoryOpDescriptor.NR_EXTENTS_OFFSET, nrExtents);
        args.putInt(MemoryOpDescriptor.EXTENT_ORDER_OFFSET, order);
        args.putInt(MemoryOpDescriptor.MEM_FLAGS_OFFSET, 0);
        args.putLong(MemoryOpDescriptor.DOMID_OFFSET, DOMID_SELF); // u16 domid, then the struct's padding, zero
        return p.invoke(HypercallOp.MEMORY_OP, cmd, MemoryOpDescriptor.RESERVATION_ARGS_LENGTH);
    }

    private static long statusOf(final VcpuHypercallPort p, final long result, final int statusOffset)
    {
        return result < 0 ? result : p.output().getInt(statusOffset);
    }

    private VcpuHypercallPort local()
    {
        final Vcpu current = Vcpu.current();
        if (current != null && current.id() < vcpus.length && vcpus[current.id()] == current)
        {
            return ports[current.id()];
        }
        return null;
    }

    private <T> T routed(final Supplier<T> call)
    {
        final CompletableFuture<T> future = new CompletableFuture<>();
        vcpus[0].submit(ctx ->
        {
            try
            {
                future.complete(call.get());
            }
            catch (final RuntimeException ex)
            {
                future.completeExceptionally(ex);
            }
            return StepResult.DONE;
        });
        return awaitRouted(future);
    }

    private <T> T awaitRouted(final CompletableFuture<T> future)
    {
        while (true)
        {
            try
            {
                return future.get(VcpuHypercallPort.WAIT_SLICE_NS, TimeUnit.NANOSECONDS);
            }
            catch (final TimeoutException ex)
            {
                if (stopping.getAsBoolean())
                {
                    throw new HypercallAbortedException(HypercallAbortedException.Reason.KERNEL_STOPPED, "routed call");
                }
            }
            catch (final ExecutionException ex)
            {
                throw ex.getCause() instanceof RuntimeException re ? re : new IllegalStateException(ex.getCause());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new HypercallAbortedException(HypercallAbortedException.Reason.KERNEL_STOPPED, "interrupted");
            }
        }
    }
}
