package org.coopvm.examples.workload;

import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The {@code latency-probe}'s task on vCPU 0. Requests arrive as {@code VIRQ_TIMER} events: the
 * task arms the hypervisor's singleshot timer at the next Poisson arrival time, the hypervisor
 * raises the event at that time, the vCPU is woken (and, under the credit scheduler, needs a
 * slot), the event handler wakes this task, and the task answers with {@code service_us} of work.
 * A request's response time is from its arrival time (known exactly: it is the timer's deadline)
 * to the end of its answer, so it includes the wake-up, the wait for a slot, the wait behind
 * other tasks and the work; an arrival that passed while the task was busy is answered at once
 * and its queueing time counts too (open loop, no coordinated omission).
 *
 * <p>Each report window's figures are taken on vCPU 0 and, when the domain has a second vCPU,
 * written to xenstore from there: a xenstore transaction is ten round trips to dom0, and on a
 * contended slot each one can wait for the slot again (a burner just granted keeps it for the 1 ms
 * rate limit, as in Xen), so publishing on the answering vCPU delayed the requests that arrived
 * meanwhile: 15-120 ms per publish next to three burners on one slot, measured. With two vCPUs the
 * probe's p99 there was 20 ms, under the 30 ms slice; with one, 47-65 ms.
 *
 * <p>Thread safety: runs on vCPU 0; the event handler runs on the same vCPU thread.
 */
final class ProbeTask implements Task
{
    private final GuestContext ctx;
    private final ProbeConfig config;
    private final ResponseTimes times = new ResponseTimes();
    private final FigurePublisher figures;
    private final SplittableRandom random;
    private int port = -1;
    private int vcpu;
    private boolean arrived;
    private long arrivalNs;
    private long nextReportNs;
    private long endNs;
    private long workSink;

    ProbeTask(final GuestContext ctx, final ProbeConfig config)
    {
        this.ctx = ctx;
        this.config = config;
        this.figures = new FigurePublisher(ctx.xenstore(), "data/latency-probe", ctx.console());
        this.random = new SplittableRandom(config.seed());
    }

    @Override
    public StepResult step(final TaskContext task)
    {
        final long nowNs = task.nowNs();
        if (port < 0)
        {
            return setUp(task, nowNs);
        }
        if (arrived)
        {
            arrived = false;
            answer(task, nowNs);
        }
        if (task.nowNs() - nextReportNs >= 0)
        {
            nextReportNs += config.reportNs();
            publishAside(times.drainFigures());
        }
        if (config.runNs() > 0 && task.nowNs() - endNs >= 0)
        {
            return finish();
        }
        if (arrived)
        {
            return StepResult.CONTINUE;
        }
        task.wakeAt(config.runNs() > 0 && endNs - nextReportNs < 0 ? endNs : nextReportNs);
        return StepResult.BLOCK;
    }

    /** A window's figures go to xenstore from vCPU 1 when the domain has one (its tasks run in order: one publish at a time). */
    private void publishAside(final Map<String, String> window)
    {
        if (ctx.vcpuCount() < 2)
        {
            figures.publish(window);
            return;
        }
        ctx.submit(1, publisher ->
        {
            figures.publish(window);
            return StepResult.DONE;
        });
    }

    private StepResult setUp(final TaskContext task, final long nowNs)
    {
        final long bound = ctx.hypercalls().evtchnBindVirq(EventChannelOpDescriptor.VIRQ_TIMER, task.vcpuId());
        if (bound <= 0)
        {
            ctx.console().log("latency-probe: cannot bind VIRQ_TIMER (" + bound + ")");
            ctx.shutdown(ShutdownReason.CRASH);
            return StepResult.DONE;
        }
        port = (int)bound;
        vcpu = task.vcpuId();
        final var self = task.self();
        ctx.events().register(port, p ->
        {
            onTimer();
            self.wake();
        });
        nextReportNs = nowNs + config.reportNs();
        endNs = nowNs + config.runNs();
        arrivalNs = nowNs;
        scheduleNext(task, nowNs);
        ctx.console().log("latency-probe: " + config.describe() + ", requests on VIRQ_TIMER port " + port);
        return StepResult.BLOCK;
    }

    private void answer(final TaskContext task, final long nowNs)
    {
        work(nowNs + config.serviceNs());
        times.record(task.nowNs() - arrivalNs);
        scheduleNext(task, task.nowNs());
    }

    /** The next arrival: an exponential gap after the last one; a deadline already passed is due at once. */
    private void scheduleNext(final TaskContext task, final long nowNs)
    {
        final double gapS = -Math.log(1.0 - random.nextDouble()) / config.ratePerSecond();
        arrivalNs += Math.max(1, (long)(gapS * TimeUnit.SECONDS.toNanos(1)));
        if (arrivalNs - nowNs <= 0)
        {
            arrived = true;
            return;
        }
        final long result = ctx.hypercalls().vcpuSetSingleshotTimer(task.vcpuId(), arrivalNs, 0);
        if (result < 0)
        {
            throw new IllegalStateException("latency-probe: set_singleshot_timer failed: " + result);
        }
    }

    /** The handler woke us: the arrival whose timer we armed has come. */
    private void onTimer()
    {
        arrived = true;
    }

    private void work(final long untilNs)
    {
        long x = workSink | 1;
        do
        {
            for (int i = 0; i < 256; i++)
            {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        }
        while (ctx.clock().nanoTime() - untilNs < 0);
        workSink = x;
    }

    private StepResult finish()
    {
        ctx.hypercalls().vcpuStopSingleshotTimer(vcpu);
        ctx.events().unregister(port);
        ctx.hypercalls().evtchnClose(port);
        figures.publish(times.drainFigures());
        ctx.console().log("latency-probe: done, " + times.summary());
        ctx.shutdown(ShutdownReason.POWEROFF);
        return StepResult.DONE;
    }
}
