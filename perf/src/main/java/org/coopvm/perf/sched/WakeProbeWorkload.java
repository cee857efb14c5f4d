package org.coopvm.perf.sched;

import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;

import java.util.Map;

/**
 * {@value #NAME}: the scheduler benchmark's woken vCPU. Binds {@code VIRQ_TIMER} on vCPU 0 and
 * registers a handler that stamps the time it runs in the probe file ({@link WakeProbeControl});
 * then nothing runs on the vCPU, so between events it is blocked (idle, its slot given back). The
 * benchmark raises the virq from dom0, as the hypervisor does when a vCPU timer fires, and times
 * from the raise to the stamp: the wake-up, the wait for a slot (BOOST, a preempted holder's next
 * safe point, the grant), and the upcall. Runs on vCPU 0 at boot.
 */
public final class WakeProbeWorkload implements Workload
{
    /** The workload's name in the domain spec. */
    public static final String NAME = "sched-wake-probe";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final WakeProbeControl control = WakeProbeControl.attach(ctx.runDir().orElseThrow(
            () -> new IllegalStateException(NAME + " needs the run directory")));
        ctx.submit(new Bind(ctx, control));
    }

    /** Binds the virq and registers the handler, then ends: the handler does the rest. */
    private static final class Bind implements Task
    {
        private final GuestContext ctx;
        private final WakeProbeControl control;

        Bind(final GuestContext ctx, final WakeProbeControl control)
        {
            this.ctx = ctx;
            this.control = control;
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            final long port = ctx.hypercalls().evtchnBindVirq(EventChannelOpDescriptor.VIRQ_TIMER, task.vcpuId());
            if (port <= 0)
            {
                ctx.console().log(NAME + ": cannot bind VIRQ_TIMER (" + port + ")");
                ctx.shutdown(ShutdownReason.CRASH);
                return StepResult.DONE;
            }
            ctx.events().register((int)port, p -> control.handled(System.nanoTime()));
            control.portRelease((int)port);
            return StepResult.DONE;
        }
    }
}
