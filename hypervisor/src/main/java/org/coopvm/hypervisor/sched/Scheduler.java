package org.coopvm.hypervisor.sched;

/**
 * A CPU scheduling algorithm: decides which runnable vCPU holds each of the host's physical CPU
 * slots, and for how long. Modelled on Xen's {@code struct scheduler} (insert/remove/wake/sleep/
 * yield/do_schedule/adjust plus the credit tick). Implementations are pure logic: no threads, no
 * clock of their own (every call passes {@code nowNs}), no I/O; found by {@link Schedulers} through
 * {@link java.util.ServiceLoader} (public no-argument constructor; list the class in
 * {@code META-INF/services/org.coopvm.hypervisor.sched.Scheduler}).
 *
 * <p>The calling protocol (the runtime's side):
 * <ul>
 *   <li>{@link #init} once, then {@link #insert} each vCPU (it starts blocked), {@link #wake} it when it
 *       wants a slot, {@link #sleep} it when it blocks, goes offline or is suspended.</li>
 *   <li>{@link #charge} the CPU time a vCPU really used (thread CPU time) whenever the runtime
 *       measures it, at least when it leaves a slot, before {@link #schedule} for the slot it holds
 *       and before each {@link #tick}.</li>
 *   <li>{@link #tick} every {@link SchedulerSettings#tickMs()} (the runtime may leave it out while
 *       {@link #needsTick()} says {@code false}).</li>
 *   <li>{@link #schedule} for a slot when it becomes free (its vCPU blocked or yielded: pass
 *       {@code current = null}), when {@link Decision#untilNs()} has passed, and after a wake, tick or
 *       adjust (free slots first, then occupied ones). Asking again is cheap and harmless: it returns
 *       {@code current} when current should keep its slot (the same {@link Decision} object while
 *       nothing changed, so steady state allocates nothing). Before current's slice ends, only a
 *       queued vCPU that outranks it takes its slot, from the lowest-ranked holder and never while
 *       a slot is free (Xen's tickle). When it returns another vCPU, current is back in the run
 *       queue and the runtime asks it to give the slot up (cooperatively).</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; the runtime calls it from one thread at a time, under its lock.
 */
public interface Scheduler
{
    /** @return the name users choose it by ({@code scheduler = NAME}), lower case, e.g. {@code credit}. */
    String name();

    /** @param settings the host's settings; called once before anything else. */
    void init(SchedulerSettings settings);

    /**
     * A new vCPU (domain created, vCPU brought up). It starts blocked: not runnable.
     *
     * @param v     the vCPU.
     * @param nowNs the time.
     */
    void insert(SchedVcpu v, long nowNs);

    /**
     * A vCPU is gone (domain destroyed, vCPU down); it leaves the run queue and accounting.
     *
     * @param v     the vCPU.
     * @param nowNs the time.
     */
    void remove(SchedVcpu v, long nowNs);

    /**
     * Blocked to runnable: the vCPU joins the run queue (the BOOST rule lives here). Waking a
     * runnable or running vCPU does nothing.
     *
     * @param v     the vCPU.
     * @param nowNs the time.
     */
    void wake(SchedVcpu v, long nowNs);

    /**
     * Runnable or running to blocked (also offline, suspended or parked by the runtime): it leaves
     * the run queue; if it held a slot, that slot is free (call {@link #schedule} with null).
     *
     * @param v     the vCPU.
     * @param nowNs the time.
     */
    void sleep(SchedVcpu v, long nowNs);

    /**
     * The running vCPU gives its slot back and stays runnable: it goes back into the run queue
     * (credit: behind one vCPU of lower priority). Its slot is free: call {@link #schedule} with null.
     *
     * @param v     the vCPU.
     * @param nowNs the time.
     */
    void yield(SchedVcpu v, long nowNs);

    /**
     * Directed yield: {@code from} yields as in {@link #yield}, and {@code to}, if runnable and
     * queued, goes to the front of its priority.
     *
     * @param from  the yielding vCPU.
     * @param to    the vCPU it gives its turn to.
     * @param nowNs the time.
     */
    void yieldTo(SchedVcpu from, SchedVcpu to, long nowNs);

    /**
     * Charge CPU time a vCPU really used since its last charge.
     *
     * @param v     the vCPU.
     * @param cpuNs nanoseconds of CPU, >= 0.
     * @param nowNs the time.
     */
    void charge(SchedVcpu v, long cpuNs, long nowNs);

    /**
     * The periodic tick (every {@link SchedulerSettings#tickMs()}): credit demotes BOOSTed vCPUs seen
     * running and runs its accounting once per slice.
     *
     * @param nowNs the time.
     */
    void tick(long nowNs);

    /**
     * Whether {@link #tick} is needed now. While it answers {@code false} the runtime may skip ticks,
     * and the wake-ups of its thread for them (each a duty cycle). Asked after every call that changes
     * the algorithm's state; cheap.
     *
     * @return {@code true} (the default) when ticks matter now.
     */
    default boolean needsTick()
    {
        return true;
    }

    /**
     * Who should run on {@code slot}. A runnable vCPU not returned stays queued; returning a vCPU
     * removes it from the run queue and makes it the slot's current.
     *
     * @param slot    the slot, 0..{@code slots - 1}.
     * @param current the runnable vCPU holding it, null when the slot is free.
     * @param nowNs   the time.
     * @return the vCPU to run (may be {@code current}; null = leave the slot idle) and the time at the
     *         latest to ask again ({@link Long#MAX_VALUE} when idle: ask again after a wake).
     */
    Decision schedule(int slot, SchedVcpu current, long nowNs);

    /**
     * Live change of a domain's weight, cap or slice (parameters already validated, also against its
     * vCPU count). Sets the new parameters on each of the domain's vCPUs.
     *
     * @param domid  the domain.
     * @param params its new parameters.
     * @param nowNs  the time.
     */
    void adjust(int domid, SchedParams params, long nowNs);

    /**
     * Live change of the host settings (rate limit, default slice, slots).
     *
     * @param settings the new settings.
     * @param nowNs    the time.
     */
    void adjust(SchedulerSettings settings, long nowNs);

    /**
     * @param v the vCPU.
     * @return its priority and credit, for {@code coop vcpu-list}, the usage page and the trace.
     */
    VcpuSchedState state(SchedVcpu v);

    /**
     * A scheduling decision.
     *
     * @param next    the vCPU to run, null for none.
     * @param untilNs when at the latest to call {@link #schedule} again for this slot.
     */
    record Decision(SchedVcpu next, long untilNs)
    {
        /** No vCPU to run: wait for a wake. */
        public static final Decision IDLE = new Decision(null, Long.MAX_VALUE);
    }
}
