package org.coopvm.rings.hypercall;

/**
 * {@code sched_op} (op 29): commands and argument offsets (relative to
 * {@link HypercallDescriptor#ARGS_OFFSET}).
 *
 * <pre>
 *  SCHEDOP_yield            no args                                      result 0
 *  SCHEDOP_block            no args; answered once an event is pending   result 0
 *  SCHEDOP_shutdown         +0 u32 reason                                result 0
 *  SCHEDOP_poll             +0 u64 absolute timeout ns (0 none),
 *                           +8 u32 nr_ports (<= 128), +12 u32 ports[]   result 0 (pending or timeout)
 *  SCHEDOP_remote_shutdown  -EPERM for guests
 *  SCHEDOP_watchdog         +0 u32 id (0 = new), +4 u32 timeout s (0 = destroy)   result id
 *  SCHEDOP_coop_yield_to    +0 u32 target vcpu of the same domain        result 0 (CoopVM's own)
 *  SCHEDOP_coop_slice       +0 u32 slice ms (0 = the configured one)     result the slice in effect, ms (CoopVM's own)
 * </pre>
 *
 * CoopVM's own commands start at {@link #SCHEDOP_COOP_FIRST}, far from Xen's (0..7), so a Xen
 * number never means something else here.
 */
public final class SchedOpDescriptor
{
    /** Command: give up the CPU slot for a moment. */
    public static final int SCHEDOP_YIELD = 0;
    /** Command: sleep until an event is pending for the calling vCPU. */
    public static final int SCHEDOP_BLOCK = 1;
    /** Command: shut the domain down with a reason. */
    public static final int SCHEDOP_SHUTDOWN = 2;
    /** Command: wait until one of some ports is pending, or a timeout. */
    public static final int SCHEDOP_POLL = 3;
    /** Command: shut down another domain (dom0 only). */
    public static final int SCHEDOP_REMOTE_SHUTDOWN = 4;
    /** Command: create, kick or destroy a watchdog. */
    public static final int SCHEDOP_WATCHDOG = 6;
    /** First of CoopVM's own sched_op commands. */
    public static final int SCHEDOP_COOP_FIRST = 64;
    /**
     * Command (CoopVM): directed yield. The caller gives up its slot as with {@link #SCHEDOP_YIELD}
     * and asks the scheduler to run the named vCPU of its own domain next (Xen's internal
     * {@code yield_to}, used by paravirtual spinlocks).
     */
    public static final int SCHEDOP_COOP_YIELD_TO = SCHEDOP_COOP_FIRST;
    /**
     * Command (CoopVM): a latency-sensitive guest asks for a shorter time slice for its domain,
     * 1..the slice the toolstack configured (never longer), or 0 to go back to the configured one.
     * The result is the slice in effect afterwards, ms; -EINVAL for another value (nothing changes).
     */
    public static final int SCHEDOP_COOP_SLICE = SCHEDOP_COOP_FIRST + 1;

    /** Argument of shutdown: the reason (u32). */
    public static final int SHUTDOWN_REASON_OFFSET = 0;
    /** Argument of poll: absolute timeout in ns on the host clock, 0 for none (u64). */
    public static final int POLL_TIMEOUT_OFFSET = 0;
    /** Argument of poll: number of ports (u32). */
    public static final int POLL_NR_PORTS_OFFSET = 8;
    /** Argument of poll: the ports (u32 each). */
    public static final int POLL_PORTS_OFFSET = 12;
    /** Argument of watchdog: its id, 0 to create one (u32). */
    public static final int WATCHDOG_ID_OFFSET = 0;
    /** Argument of watchdog: timeout in seconds, 0 to destroy it (u32). */
    public static final int WATCHDOG_TIMEOUT_OFFSET = 4;
    /** Argument of coop_yield_to: the vCPU of the caller's domain to run next (u32). */
    public static final int YIELD_TO_VCPU_OFFSET = 0;
    /** Argument of coop_slice: the slice asked for, ms, 0 = the configured one (u32). */
    public static final int SLICE_MS_OFFSET = 0;

    /** Most ports one poll may name. */
    public static final int MAX_POLL_PORTS = 128;
    /** Watchdogs per domain (Xen's NR_DOMAIN_WATCHDOG_TIMERS). */
    public static final int MAX_WATCHDOGS = 2;
    /** Shutdown reason: power off. */
    public static final int SHUTDOWN_POWEROFF = 0;
    /** Shutdown reason: reboot. */
    public static final int SHUTDOWN_REBOOT = 1;
    /** Shutdown reason: suspend. */
    public static final int SHUTDOWN_SUSPEND = 2;
    /** Shutdown reason: crash. */
    public static final int SHUTDOWN_CRASH = 3;
    /** Shutdown reason: a watchdog expired. */
    public static final int SHUTDOWN_WATCHDOG = 4;

    private SchedOpDescriptor()
    {
    }
}
