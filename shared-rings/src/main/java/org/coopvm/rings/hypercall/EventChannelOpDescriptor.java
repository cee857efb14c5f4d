package org.coopvm.rings.hypercall;

/**
 * {@code event_channel_op} (op 32): commands, argument offsets (relative to
 * {@link HypercallDescriptor#ARGS_OFFSET}), status output offsets ({@code _OUT_OFFSET}, relative to
 * {@link HypercallResponseDescriptor#OUTPUT_OFFSET}) and Xen's constants.
 *
 * <pre>
 *  EVTCHNOP_bind_interdomain  +0 u32 remote dom, +4 u32 remote port   result local port
 *  EVTCHNOP_bind_virq         +0 u32 virq, +4 u32 vcpu                result port
 *  EVTCHNOP_close             +0 u32 port
 *  EVTCHNOP_send              +0 u32 port
 *  EVTCHNOP_status            +0 u32 dom, +4 u32 port   output +0 status, +4 vcpu,
 *                                                       +8 remote dom or virq, +12 remote port
 *  EVTCHNOP_alloc_unbound     +0 u32 dom, +4 u32 remote dom           result port
 *  EVTCHNOP_bind_ipi          +0 u32 vcpu                             result port
 *  EVTCHNOP_bind_vcpu         +0 u32 port, +4 u32 vcpu
 *  EVTCHNOP_unmask            +0 u32 port
 *  EVTCHNOP_reset             +0 u32 dom
 * </pre>
 */
public final class EventChannelOpDescriptor
{
    /** Command: connect to a remote domain's unbound port. */
    public static final int EVTCHNOP_BIND_INTERDOMAIN = 0;
    /** Command: bind a virtual IRQ on a vCPU. */
    public static final int EVTCHNOP_BIND_VIRQ = 1;
    /** Command: close a port. */
    public static final int EVTCHNOP_CLOSE = 3;
    /** Command: notify the other end of a port. */
    public static final int EVTCHNOP_SEND = 4;
    /** Command: describe a port. */
    public static final int EVTCHNOP_STATUS = 5;
    /** Command: allocate a port a remote domain may bind to. */
    public static final int EVTCHNOP_ALLOC_UNBOUND = 6;
    /** Command: bind an inter-processor port on a vCPU. */
    public static final int EVTCHNOP_BIND_IPI = 7;
    /** Command: change the vCPU a port notifies. */
    public static final int EVTCHNOP_BIND_VCPU = 8;
    /** Command: unmask a port, re-delivering a pending event. */
    public static final int EVTCHNOP_UNMASK = 9;
    /** Command: close every port of a domain. */
    public static final int EVTCHNOP_RESET = 10;
    /**
     * CoopVM's command: {@link #EVTCHNOP_SEND} with no response, for frontends that notify their
     * backend and, as Linux's {@code notify_remote_via_evtchn}, ignore the result: the vCPU does
     * not wait for the host. A failure is counted against the domain, not answered.
     */
    public static final int EVTCHNOP_COOP_SEND_ASYNC = 64;

    /** bind_interdomain: remote domain (u32). */
    public static final int BIND_INTERDOMAIN_REMOTE_DOM_OFFSET = 0;
    /** bind_interdomain: remote port (u32). */
    public static final int BIND_INTERDOMAIN_REMOTE_PORT_OFFSET = 4;
    /** bind_virq: the virq (u32). */
    public static final int BIND_VIRQ_VIRQ_OFFSET = 0;
    /** bind_virq: the vCPU (u32). */
    public static final int BIND_VIRQ_VCPU_OFFSET = 4;
    /** close, send, unmask, bind_vcpu: the port (u32). */
    public static final int PORT_OFFSET = 0;
    /** bind_vcpu: the vCPU (u32). */
    public static final int BIND_VCPU_VCPU_OFFSET = 4;
    /** status, alloc_unbound, reset: the domain (u32, DOMID_SELF allowed). */
    public static final int DOM_OFFSET = 0;
    /** status: the port (u32). */
    public static final int STATUS_PORT_OFFSET = 4;
    /** alloc_unbound: the remote domain allowed to bind (u32). */
    public static final int ALLOC_UNBOUND_REMOTE_DOM_OFFSET = 4;
    /** bind_ipi: the vCPU (u32). */
    public static final int BIND_IPI_VCPU_OFFSET = 0;
    /** status output: the EVTCHNSTAT_* value (u32). */
    public static final int STATUS_STATUS_OUT_OFFSET = 0;
    /** status output: the vCPU notified (u32). */
    public static final int STATUS_VCPU_OUT_OFFSET = 4;
    /** status output: remote domain (unbound, interdomain) or the virq (virq) (u32). */
    public static final int STATUS_REMOTE_DOM_OUT_OFFSET = 8;
    /** status output: remote port (interdomain) (u32). */
    public static final int STATUS_REMOTE_PORT_OUT_OFFSET = 12;

    /** Status: no such channel. */
    public static final int EVTCHNSTAT_CLOSED = 0;
    /** Status: allocated, waiting for a remote domain to bind. */
    public static final int EVTCHNSTAT_UNBOUND = 1;
    /** Status: connected to a remote domain's port. */
    public static final int EVTCHNSTAT_INTERDOMAIN = 2;
    /** Status: physical IRQ (never used by CoopVM). */
    public static final int EVTCHNSTAT_PIRQ = 3;
    /** Status: bound to a virq. */
    public static final int EVTCHNSTAT_VIRQ = 4;
    /** Status: inter-processor. */
    public static final int EVTCHNSTAT_IPI = 5;

    /** The calling domain, wherever a domid argument is taken. */
    public static final int DOMID_SELF = 0x7FF0;
    /** VIRQ: a vCPU timer fired. */
    public static final int VIRQ_TIMER = 0;
    /** VIRQ: console input or a console event. */
    public static final int VIRQ_CONSOLE = 2;
    /** VIRQ: a domain changed state (dom0 tools; CoopVM also sends it to a domain being shut down). */
    public static final int VIRQ_DOM_EXC = 3;
    /** VIRQ: the host is low on memory. */
    public static final int VIRQ_ENOMEM = 12;
    /** Number of virqs (Xen's NR_VIRQS). */
    public static final int NR_VIRQS = 24;
    /** Default per-domain limit of event channels. */
    public static final int DEFAULT_MAX_CHANNELS = 1023;

    private EventChannelOpDescriptor()
    {
    }
}
