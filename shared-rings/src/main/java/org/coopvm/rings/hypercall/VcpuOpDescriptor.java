package org.coopvm.rings.hypercall;

/**
 * {@code vcpu_op} (op 24): commands and argument/output offsets. The header's vcpu is the
 * caller; the first argument is the target vCPU. Arguments are relative to
 * {@link HypercallDescriptor#ARGS_OFFSET}, outputs ({@code _OUT_OFFSET}) to
 * {@link HypercallResponseDescriptor#OUTPUT_OFFSET}.
 *
 * <pre>
 *  all commands           +0 u32 target vcpu
 *  VCPUOP_up/down/is_up                               result 0 / 0 / 1 if up else 0
 *  VCPUOP_get_runstate_info   output +0 u32 state, +4 u64 entry time ns, +12 u64[4] ns per state
 *  VCPUOP_set_periodic_timer  +4 u64 period ns
 *  VCPUOP_set_singleshot_timer +4 u64 absolute deadline ns, +12 u32 flags (reserved)
 *  VCPUOP_stop_*_timer        no more args
 * </pre>
 * Timers raise VIRQ_TIMER on the target vCPU.
 */
public final class VcpuOpDescriptor
{
    /** Command: bring a vCPU online. */
    public static final int VCPUOP_UP = 1;
    /** Command: take a vCPU offline. */
    public static final int VCPUOP_DOWN = 2;
    /** Command: is the vCPU online? (result 1 or 0). */
    public static final int VCPUOP_IS_UP = 3;
    /** Command: copy of the vCPU's runstate. */
    public static final int VCPUOP_GET_RUNSTATE_INFO = 4;
    /** Command: start a periodic timer. */
    public static final int VCPUOP_SET_PERIODIC_TIMER = 6;
    /** Command: stop the periodic timer. */
    public static final int VCPUOP_STOP_PERIODIC_TIMER = 7;
    /** Command: arm the single-shot timer. */
    public static final int VCPUOP_SET_SINGLESHOT_TIMER = 8;
    /** Command: disarm the single-shot timer. */
    public static final int VCPUOP_STOP_SINGLESHOT_TIMER = 9;

    /** Argument: the target vCPU (u32). */
    public static final int TARGET_VCPU_OFFSET = 0;
    /** Argument of set_periodic_timer: the period in ns (u64). */
    public static final int PERIOD_NS_OFFSET = 4;
    /** Argument of set_singleshot_timer: absolute deadline in ns on the host clock (u64). */
    public static final int SINGLESHOT_DEADLINE_OFFSET = 4;
    /** Argument of set_singleshot_timer: flags (u32, reserved). */
    public static final int SINGLESHOT_FLAGS_OFFSET = 12;
    /** Output of get_runstate_info: the runstate (u32). */
    public static final int RUNSTATE_STATE_OUT_OFFSET = 0;
    /** Output of get_runstate_info: when the vCPU entered it, ns (u64). */
    public static final int RUNSTATE_ENTRY_TIME_OUT_OFFSET = 4;
    /** Output of get_runstate_info: ns in each runstate (u64[4]). */
    public static final int RUNSTATE_TIME_OUT_OFFSET = 12;
    /** Bytes of get_runstate_info's output. */
    public static final int RUNSTATE_OUT_LENGTH = 44;
    /** Shortest periodic timer period accepted (Xen: 1 ms). */
    public static final long MIN_PERIOD_NS = 1_000_000L;

    private VcpuOpDescriptor()
    {
    }
}
