package org.coopvm.guest.task;

/**
 * What a {@link Task} step may ask of the vCPU running it.
 *
 * <p>Valid only during the step it was passed to, on that vCPU's thread.
 */
public interface TaskContext
{
    /** @return the id of the vCPU running the step. */
    int vcpuId();

    /** @return now, from the kernel's injected clock, in nanoseconds. */
    long nowNs();

    /** @return the handle of the task running this step. */
    TaskHandle self();

    /**
     * Arm this task's timer: it is woken at {@code deadlineNs} (kernel clock) unless woken
     * earlier. Replaces an armed deadline. Return {@link StepResult#BLOCK} to sleep until then.
     *
     * @param deadlineNs absolute deadline, kernel clock.
     */
    void wakeAt(long deadlineNs);

    /**
     * Arm this task's timer {@code delayNs} from now; see {@link #wakeAt(long)}.
     *
     * @param delayNs nanoseconds from now.
     */
    default void wakeAfter(final long delayNs)
    {
        wakeAt(nowNs() + delayNs);
    }

    /** Disarm this task's timer. */
    void cancelTimer();

    /**
     * Start another task on this vCPU.
     *
     * @param task the task.
     * @return its handle.
     */
    TaskHandle spawn(Task task);
}
