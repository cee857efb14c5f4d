package org.coopvm.balloon.guest;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.task.TaskHandle;

import java.util.function.Function;

/**
 * Runs a {@link BalloonDriver} as a guest-kernel task, in the role of Linux's
 * {@code xen-balloon} kthread: each step is one {@link BalloonDriver#doWork()} (at most one
 * batch), then the task yields while there is more to do, sleeps on its timer while backing off,
 * and blocks with no timer when converged, so an idle balloon costs no CPU. Inputs posted from
 * other threads wake it through its {@link TaskHandle}. An optional hook runs after each step on
 * the same thread (the kernel's balloon service reports progress on the console from it).
 *
 * <p>Thread safety: {@link #step(TaskContext)} runs on the vCPU the task was submitted to;
 * {@link #start(Function, BalloonDriver)} from any thread, once per driver.
 */
public final class BalloonTask implements Task
{
    private static final Runnable NOTHING = () -> { };

    private final BalloonDriver driver;
    private final Runnable afterStep;

    /** @param driver the driver to step; its clock must be the kernel's (task timers use it). */
    public BalloonTask(final BalloonDriver driver)
    {
        this(driver, NOTHING);
    }

    /**
     * @param driver    the driver to step; its clock must be the kernel's (task timers use it).
     * @param afterStep run after each {@link BalloonDriver#doWork()}, on the task's vCPU.
     */
    public BalloonTask(final BalloonDriver driver, final Runnable afterStep)
    {
        this.driver = driver;
        this.afterStep = afterStep;
    }

    /**
     * Submit a task for the driver and let inputs wake it.
     *
     * @param submit how to submit a task, e.g. {@code guestContext::submit} (vCPU 0).
     * @param driver the driver.
     * @return the task's handle (cancel it to stop the driver).
     */
    public static TaskHandle start(final Function<Task, TaskHandle> submit, final BalloonDriver driver)
    {
        return start(submit, driver, NOTHING);
    }

    /**
     * Submit a task for the driver with a hook after each step, and let inputs wake it.
     *
     * @param submit    how to submit a task.
     * @param driver    the driver.
     * @param afterStep run after each step, on the task's vCPU.
     * @return the task's handle (cancel it to stop the driver).
     */
    public static TaskHandle start(final Function<Task, TaskHandle> submit, final BalloonDriver driver, final Runnable afterStep)
    {
        final TaskHandle handle = submit.apply(new BalloonTask(driver, afterStep));
        driver.wakeWith(handle::wake);
        return handle;
    }

    @Override
    public StepResult step(final TaskContext ctx)
    {
        driver.doWork();
        afterStep.run();
        final long wakeAtNs = driver.wakeDeadlineNs();
        if (wakeAtNs == BalloonDriver.RUN_NOW)
        {
            return StepResult.CONTINUE;
        }
        if (wakeAtNs == BalloonDriver.NEVER)
        {
            ctx.cancelTimer();
        }
        else
        {
            ctx.wakeAt(wakeAtNs);
        }
        return StepResult.BLOCK;
    }
}
