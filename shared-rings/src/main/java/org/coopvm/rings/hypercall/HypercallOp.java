package org.coopvm.rings.hypercall;

/**
 * Hypercall numbers, Xen's: the message type id of a hypercall request and of its response.
 *
 * <p>Thread safety: constants only.
 */
public final class HypercallOp
{
    /** {@code memory_op}: reservations ({@link MemoryOpDescriptor}). */
    public static final int MEMORY_OP = 12;
    /** {@code multicall}: a batch ({@link MulticallOpDescriptor}). */
    public static final int MULTICALL = 13;
    /** {@code xen_version} ({@link XenVersionOpDescriptor}). */
    public static final int XEN_VERSION = 17;
    /** {@code console_io} ({@link ConsoleIoOpDescriptor}). */
    public static final int CONSOLE_IO = 18;
    /** {@code grant_table_op} ({@link GrantTableOpDescriptor}). */
    public static final int GRANT_TABLE_OP = 20;
    /** {@code vcpu_op} ({@link VcpuOpDescriptor}). */
    public static final int VCPU_OP = 24;
    /** {@code sched_op} ({@link SchedOpDescriptor}). */
    public static final int SCHED_OP = 29;
    /** {@code event_channel_op} ({@link EventChannelOpDescriptor}). */
    public static final int EVENT_CHANNEL_OP = 32;

    private HypercallOp()
    {
    }

    /**
     * @param op a hypercall number.
     * @return its Xen name, or {@code hypercall_<n>} when unknown.
     */
    public static String name(final int op)
    {
        return switch (op)
        {
            case MEMORY_OP -> "memory_op";
            case MULTICALL -> "multicall";
            case XEN_VERSION -> "xen_version";
            case CONSOLE_IO -> "console_io";
            case GRANT_TABLE_OP -> "grant_table_op";
            case VCPU_OP -> "vcpu_op";
            case SCHED_OP -> "sched_op";
            case EVENT_CHANNEL_OP -> "event_channel_op";
            default -> "hypercall_" + op;
        };
    }
}
