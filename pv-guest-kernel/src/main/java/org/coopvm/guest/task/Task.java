package org.coopvm.guest.task;

/**
 * A cooperative task: a step function that does a bounded unit of work and returns, so the vCPU
 * can dispatch events, honour preemption and run other tasks between steps.
 *
 * <p>A step must not block the thread for long: to wait, arm a timer or rely on a wake
 * ({@link TaskHandle#wake()}), then return {@link StepResult#BLOCK}. A blocked task may be woken
 * spuriously (a stale timer, a coalesced event): steps re-check their condition.
 *
 * <p>Called only on the vCPU thread the task was submitted to, one step at a time.
 */
@FunctionalInterface
public interface Task
{
    /**
     * Run one bounded step.
     *
     * @param ctx the vCPU's context for this step: clock, timers, the task's own handle.
     * @return CONTINUE (run again after others had their turn), BLOCK (until woken) or DONE.
     */
    StepResult step(TaskContext ctx);
}
