package org.coopvm.guest.task;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.coopvm.rings.domain.VcpuInfoDescriptor;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.doorbell.WakeCondition;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A virtual CPU: one platform thread running cooperative {@link Task}s from its own run queue,
 * round robin, one step at a time. Between steps it takes tasks queued from other threads, fires
 * due timers, dispatches event upcalls, passes the safe point and honours the guest's own
 * {@link CpuLimit} (resting once a period's quota is used). Upcalls and steps run only while
 * the vCPU holds a physical CPU slot ({@link VcpuPlatform#acquireSlot}: with work and no slot it
 * asks for one and sleeps until granted); at the safe point it gives the slot back when the host
 * asks. With nothing runnable and no timer due it gives its slot back and sleeps in
 * {@link VcpuPlatform#idle} (a doorbell: no CPU burnt) until work, an upcall or the next timer
 * deadline.
 *
 * <p>Thread safety: {@link #submit}, {@link #stop()}, {@link #join} and the counters from any
 * thread; {@link #doWork()} only on the vCPU thread (or a test's thread when not started).
 */
public final class Vcpu implements Agent
{
    private static final ThreadLocal<Vcpu> CURRENT = new ThreadLocal<>();

    private final int id;
    private final String name;
    private final NanoClock clock;
    private final VcpuPlatform platform;
    private final BiConsumer<TaskHandle, Throwable> failureHandler;
    private final ArrayDeque<TaskHandle> runQueue = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<TaskHandle> incoming = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<TimerEntry> timers = new PriorityQueue<>();
    private final StepContext context = new StepContext();
    private final WakeCondition wakeCondition = this::hasWork;
    private final WakeCondition stopCondition = this::isStopping;
    private final WakeCondition restCondition = this::restEnds;
    private final CpuLimit cpuLimit;
    private boolean inLimitPeriod;
    private long limitPeriodStartNs;
    private long limitUsedNs;
    private volatile long rests;
    private volatile boolean running = true;
    private volatile Thread thread;
    private volatile long steps;
    private volatile long idleSleeps;
    private volatile WaitResult lastIdleResult;

    /**
     * @param id             the vCPU id.
     * @param name           the thread name, e.g. {@code dom3-vcpu0}.
     * @param clock          the kernel's clock for timers.
     * @param platform       upcalls, safe point, idle sleep and kicks.
     * @param failureHandler told on the vCPU thread when a step throws (the task is then DONE).
     */
    public Vcpu(
        final int id,
        final String name,
        final NanoClock clock,
        final VcpuPlatform platform,
        final BiConsumer<TaskHandle, Throwable> failureHandler)
    {
        this(id, name, clock, platform, failureHandler, new CpuLimit());
    }

    /**
     * @param id             the vCPU id.
     * @param name           the thread name, e.g. {@code dom3-vcpu0}.
     * @param clock          the kernel's clock for timers.
     * @param platform       upcalls, safe point, idle sleep and kicks.
     * @param failureHandler told on the vCPU thread when a step throws (the task is then DONE).
     * @param cpuLimit       the guest's own CPU limit, honoured after each step (shared by its vCPUs).
     */
    public Vcpu(
        final int id,
        final String name,
        final NanoClock clock,
        final VcpuPlatform platform,
        final BiConsumer<TaskHandle, Throwable> failureHandler,
        final CpuLimit cpuLimit)
    {
        this.id = id;
        this.name = name;
        this.clock = clock;
        this.platform = platform;
        this.failureHandler = failureHandler;
        this.cpuLimit = cpuLimit;
    }

    /** @return the vCPU running on the calling thread, or {@code null} on other threads. */
    public static Vcpu current()
    {
        return CURRENT.get();
    }

    /** Start the vCPU thread (a platform thread named {@link #roleName()}). */
    public synchronized void start()
    {
        if (thread != null)
        {
            throw new IllegalStateException(name + " already started");
        }
        final Thread t = Thread.ofPlatform().name(name).unstarted(this::run);
        thread = t;
        t.start();
    }

    /**
     * Queue a task on this vCPU; any thread.
     *
     * @param task the task.
     * @return its handle.
     */
    public TaskHandle submit(final Task task)
    {
        final TaskHandle handle = new TaskHandle(task, this);
        enqueue(handle);
        return handle;
    }

    /** Ask the thread to stop after the current step; any thread. Tasks left are not run. */
    public void stop()
    {
        running = false;
        platform.kick(id);
    }

    /**
     * Wait for the vCPU thread to end.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return {@code true} when it ended (or never started).
     * @throws InterruptedException when interrupted.
     */
    public boolean join(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final Thread t = thread;
        return t == null || t.join(java.time.Duration.ofNanos(unit.toNanos(timeout)));
    }

    /** @return whether the vCPU thread runs (started and not yet ended). */
    public boolean isAlive()
    {
        final Thread t = thread;
        return t != null && t.isAlive();
    }

    /** @return the vCPU id. */
    public int id()
    {
        return id;
    }

    /** @return the vCPU thread, or {@code null} before {@link #start()}. */
    public Thread thread()
    {
        return thread;
    }

    /** @return task steps run so far. */
    public long steps()
    {
        return steps;
    }

    /** @return times the vCPU went idle (slept or tried to). */
    public long idleSleeps()
    {
        return idleSleeps;
    }

    /** {@inheritDoc} */
    @Override
    public String roleName()
    {
        return name;
    }

    /**
     * One duty cycle: take queued tasks, fire due timers, dispatch upcalls, run one step.
     *
     * @return work done; 0 means idle.
     */
    @Override
    public int doWork()
    {
        int work = drainIncoming();
        work += fireDueTimers(clock.nanoTime());
        final boolean external = platform.hasExternalWork(id);
        if ((!external && runQueue.isEmpty()) || !platform.acquireSlot(id, stopCondition))
        {
            return work;
        }
        if (external)
        {
            work += platform.doExternalWork(id);
        }
        final TaskHandle next = runQueue.poll();
        if (next != null)
        {
            final long startNs = clock.nanoTime();
            runStep(next);
            platform.safePoint(id);
            honourCpuLimit(startNs);
            work++;
        }
        return work;
    }

    /**
     * After a step: count it against the guest's CPU limit, and once this period's quota is used,
     * rest (slot given back, blocked) until the period ends or an upcall arrives.
     */
    private void honourCpuLimit(final long stepStartNs)
    {
        final CpuLimit.Setting limit = cpuLimit.setting();
        if (limit == null)
        {
            inLimitPeriod = false;
            return;
        }
        final long nowNs = clock.nanoTime();
        if (!inLimitPeriod || nowNs - limitPeriodStartNs >= limit.periodNs())
        {
            inLimitPeriod = true;
            limitPeriodStartNs = stepStartNs;
            limitUsedNs = 0;
        }
        limitUsedNs += nowNs - stepStartNs;
        if (limitUsedNs >= limit.quotaNs())
        {
            rest(limitPeriodStartNs + limit.periodNs());
        }
    }

    private void rest(final long untilNs)
    {
        rests++;
        long nowNs;
        while (running && !platform.hasExternalWork(id) && (nowNs = clock.nanoTime()) - untilNs < 0)
        {
            platform.idle(id, restCondition, untilNs - nowNs);
        }
    }

    private boolean restEnds()
    {
        return !running || platform.hasExternalWork(id);
    }

    /** @return times the vCPU rested because it had used its share under the guest's {@link CpuLimit}. */
    public long rests()
    {
        return rests;
    }

    /**
     * The vCPU's own thread, inside a step: give its CPU slot back before waiting outside the
     * vCPU loop (SCHEDOP_block, SCHEDOP_poll), so another vCPU can run meanwhile. Pair with
     * {@link #reacquireSlot()}.
     */
    public void releaseSlot()
    {
        platform.releaseSlot(id, VcpuInfoDescriptor.SLOT_REQUEST_IDLE);
    }

    /** @return whether it holds a CPU slot the host asks back (any thread; a snapshot). */
    public boolean isPreemptRequested()
    {
        return platform.isPreemptRequested(id);
    }

    /**
     * The vCPU's own thread, inside a step: give its CPU slot back and stay runnable
     * (SCHEDOP_yield). Pair with {@link #reacquireSlot()}.
     */
    public void yieldSlot()
    {
        platform.releaseSlot(id, VcpuInfoDescriptor.SLOT_REQUEST_YIELD);
    }

    /**
     * The vCPU's own thread, inside a step: wait for a CPU slot again after {@link #releaseSlot()}
     * or {@link #yieldSlot()}.
     *
     * @return whether it holds one (false: the vCPU stops or the host is gone).
     */
    public boolean reacquireSlot()
    {
        return platform.acquireSlot(id, stopCondition);
    }

    void enqueue(final TaskHandle handle)
    {
        if (Thread.currentThread() == thread)
        {
            runQueue.add(handle);
        }
        else
        {
            incoming.add(handle);
            platform.kick(id);
        }
    }

    private void run()
    {
        CURRENT.set(this);
        platform.onThreadStart(id);
        try
        {
            while (running)
            {
                if (doWork() == 0 && running)
                {
                    idle();
                }
            }
        }
        finally
        {
            platform.releaseSlot(id, VcpuInfoDescriptor.SLOT_REQUEST_IDLE);
            CURRENT.remove();
        }
    }

    private void idle()
    {
        idleSleeps++;
        final TimerEntry nextTimer = timers.peek();
        final long timeoutNs = nextTimer == null ? Long.MAX_VALUE : Math.max(0, nextTimer.deadlineNs - clock.nanoTime());
        lastIdleResult = platform.idle(id, wakeCondition, timeoutNs);
    }

    /** @return the last idle sleep's outcome (PEER_GONE tells the host went away), or {@code null}. */
    public WaitResult lastIdleResult()
    {
        return lastIdleResult;
    }

    private boolean isStopping()
    {
        return !running;
    }

    private boolean hasWork()
    {
        return !running || !incoming.isEmpty() || platform.hasExternalWork(id);
    }

    private int drainIncoming()
    {
        int drained = 0;
        TaskHandle handle;
        while ((handle = incoming.poll()) != null)
        {
            runQueue.add(handle);
            drained++;
        }
        return drained;
    }

    private int fireDueTimers(final long nowNs)
    {
        int fired = 0;
        TimerEntry entry;
        while ((entry = timers.peek()) != null && entry.deadlineNs - nowNs <= 0)
        {
            timers.poll();
            if (entry.handle.timerDeadlineNs == entry.deadlineNs)
            {
                entry.handle.timerDeadlineNs = Long.MIN_VALUE;
                entry.handle.wake();
                fired++;
            }
        }
        return fired;
    }

    private void runStep(final TaskHandle handle)
    {
        if (handle.isCancelled())
        {
            handle.finish(null);
            return;
        }
        handle.markRunning();
        context.current = handle;
        final StepResult result;
        try
        {
            result = handle.step(context);
        }
        catch (final Throwable ex)
        {
            handle.finish(ex);
            failureHandler.accept(handle, ex);
            return;
        }
        finally
        {
            context.current = null;
            steps++;
        }
        afterStep(handle, result);
    }

    private void afterStep(final TaskHandle handle, final StepResult result)
    {
        switch (result)
        {
            case CONTINUE ->
            {
                handle.markQueued();
                runQueue.add(handle);
            }
            case BLOCK ->
            {
                if (!handle.tryBlock())
                {
                    runQueue.add(handle);
                }
            }
            case DONE -> handle.finish(null);
        }
    }

    private record TimerEntry(long deadlineNs, TaskHandle handle) implements Comparable<TimerEntry>
    {
        @Override
        public int compareTo(final TimerEntry other)
        {
            return Long.compare(deadlineNs - other.deadlineNs, 0);
        }
    }

    private final class StepContext implements TaskContext
    {
        private TaskHandle current;

        @Override
        public int vcpuId()
        {
            return id;
        }

        @Override
        public long nowNs()
        {
            return clock.nanoTime();
        }

        @Override
        public TaskHandle self()
        {
            return current;
        }

        @Override
        public void wakeAt(final long deadlineNs)
        {
            current.timerDeadlineNs = deadlineNs;
            timers.add(new TimerEntry(deadlineNs, current));
        }

        @Override
        public void cancelTimer()
        {
            current.timerDeadlineNs = Long.MIN_VALUE;
        }

        @Override
        public TaskHandle spawn(final Task task)
        {
            return submit(task);
        }
    }
}
