package org.coopvm.guest.task;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A submitted {@link Task}: wake it, cancel it, or wait for it to finish.
 *
 * <p>States: QUEUED (runnable), RUNNING, RUNNING_WOKEN (woken during its step, so a BLOCK result
 * does not lose the wake), BLOCKED, DONE. A wake moves BLOCKED to QUEUED exactly once (one CAS),
 * so a task is never queued twice.
 *
 * <p>Thread safety: {@link #wake()}, {@link #cancel()} and the queries may be called from any
 * thread; the rest is the owning vCPU's.
 */
public final class TaskHandle
{
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int RUNNING_WOKEN = 2;
    static final int BLOCKED = 3;
    static final int DONE = 4;

    private final Task task;
    private final Vcpu vcpu;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean cancelled;
    private volatile Throwable failure;
    /** Owning vCPU thread only: armed deadline or {@link Long#MIN_VALUE} when none. */
    long timerDeadlineNs = Long.MIN_VALUE;

    TaskHandle(final Task task, final Vcpu vcpu)
    {
        this.task = task;
        this.vcpu = vcpu;
    }

    /**
     * Make a blocked task runnable; a task in its step will run again instead of blocking. A
     * wake of a queued or finished task does nothing. Cheap: one CAS, and a doorbell wake only
     * when the vCPU sleeps.
     */
    public void wake()
    {
        while (true)
        {
            final int current = state.get();
            if (current == BLOCKED)
            {
                if (state.compareAndSet(BLOCKED, QUEUED))
                {
                    vcpu.enqueue(this);
                    return;
                }
            }
            else if (current == RUNNING)
            {
                if (state.compareAndSet(RUNNING, RUNNING_WOKEN))
                {
                    return;
                }
            }
            else
            {
                return;
            }
        }
    }

    /** Ask the task to stop: it finishes (DONE) before its next step instead of running it. */
    public void cancel()
    {
        cancelled = true;
        wake();
    }

    /** @return whether the task finished, failed or was cancelled. */
    public boolean isDone()
    {
        return state.get() == DONE;
    }

    /** @return the exception a step threw, or {@code null}. */
    public Throwable failure()
    {
        return failure;
    }

    /** @return the vCPU the task runs on. */
    public int vcpuId()
    {
        return vcpu.id();
    }

    /**
     * Wait until the task is done.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return {@code true} when done, {@code false} on timeout.
     * @throws InterruptedException when interrupted.
     */
    public boolean awaitDone(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return done.await(timeout, unit);
    }

    boolean isCancelled()
    {
        return cancelled;
    }

    /** vCPU thread: the task was taken from the run queue and is about to step. */
    void markRunning()
    {
        state.set(RUNNING);
    }

    /**
     * vCPU thread: the step returned BLOCK.
     *
     * @return {@code true} when the task is now blocked, {@code false} when a wake came during
     *         the step (the task is QUEUED and must be queued again).
     */
    boolean tryBlock()
    {
        if (state.compareAndSet(RUNNING, BLOCKED))
        {
            return true;
        }
        state.set(QUEUED);
        return false;
    }

    /** vCPU thread: the step returned CONTINUE. */
    void markQueued()
    {
        state.set(QUEUED);
    }

    void finish(final Throwable failure)
    {
        this.failure = failure;
        state.set(DONE);
        done.countDown();
    }

    StepResult step(final TaskContext ctx)
    {
        return task.step(ctx);
    }
}
