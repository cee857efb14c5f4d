package org.coopvm.guest.task;

/**
 * What a {@link Task} step asks of its vCPU.
 */
public enum StepResult
{
    /** More work: queue the task again behind the other runnable tasks (yields the vCPU). */
    CONTINUE,
    /** Nothing to do until woken by an event handler, another task, another thread or a timer. */
    BLOCK,
    /** Finished: the task never runs again. */
    DONE
}
