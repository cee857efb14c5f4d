package org.coopvm.perf.hypercall;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@value #NAME}: the answering side of the event channel benchmark. Allocates an unbound port
 * for the ping ({@code alloc_unbound}) and publishes it in the control file; its upcall handler
 * stamps the time in the control file and wakes its task, which sends the answer back on the same
 * channel (the pattern drivers use: the handler wakes a task). After {@code warmup + measured}
 * answers it closes the port and powers off. Runs on vCPU 0.
 */
public final class EventChannelPongWorkload implements Workload
{
    /** The workload name in the start info. */
    public static final String NAME = "bench-evtchn-pong";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final BenchControl control = BenchControl.attach(ctx.runDir().orElseThrow(
            () -> new IllegalStateException(NAME + " needs the run directory")));
        ctx.submit(new Pong(ctx, control, control.guestDomid(1),
            BenchWorkloadArgs.positiveInt(args, BenchWorkloadArgs.WARMUP) + BenchWorkloadArgs.positiveInt(args, BenchWorkloadArgs.MEASURED)));
    }

    private static final class Pong implements Task
    {
        private final GuestContext ctx;
        private final BenchControl control;
        private final AtomicBuffer shared;
        private final int peer;
        private final long total;
        private int port;
        private long upcalls;
        private long answered;

        Pong(final GuestContext ctx, final BenchControl control, final int peer, final long total)
        {
            this.ctx = ctx;
            this.control = control;
            this.shared = control.buffer();
            this.peer = peer;
            this.total = total;
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            if (port == 0)
            {
                return offer(task);
            }
            while (answered < upcalls)
            {
                answered++;
                shared.putLongRelease(BenchControlDescriptor.PONG_ANSWERS_OFFSET, answered);
                final long result = ctx.hypercalls().evtchnSend(port);
                if (result < 0)
                {
                    return fail("send on port " + port + " returned " + result);
                }
            }
            if (answered < total)
            {
                return StepResult.BLOCK;
            }
            ctx.events().unregister(port);
            ctx.hypercalls().evtchnClose(port);
            control.close();
            ctx.shutdown(ShutdownReason.POWEROFF);
            return StepResult.DONE;
        }

        private StepResult offer(final TaskContext task)
        {
            final long allocated = ctx.hypercalls().evtchnAllocUnbound(peer);
            if (allocated <= 0)
            {
                return fail("alloc_unbound(dom" + peer + ") returned " + allocated);
            }
            port = (int)allocated;
            final var self = task.self();
            ctx.events().register(port, p ->
            {
                shared.putLongRelease(BenchControlDescriptor.PONG_UPCALL_NS_OFFSET, System.nanoTime());
                upcalls++;
                self.wake();
            });
            shared.putIntRelease(BenchControlDescriptor.PONG_PORT_OFFSET, port);
            return StepResult.BLOCK;
        }

        private StepResult fail(final String why)
        {
            ctx.console().log(NAME + ": " + why);
            control.fail();
            control.close();
            ctx.shutdown(ShutdownReason.CRASH);
            return StepResult.DONE;
        }
    }
}
