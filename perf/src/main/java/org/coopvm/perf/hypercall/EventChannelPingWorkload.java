package org.coopvm.perf.hypercall;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@value #NAME}: the measuring side of the event channel benchmark. Waits for the pong's
 * unbound port in the control file, binds it ({@code bind_interdomain}), then
 * {@code warmup + measured} times: stamps the time, sends ({@code EVTCHNOP_send}) and blocks
 * until its own upcall handler runs for the pong's answer (an upcall before the pong counted the
 * answer, such as the one Xen semantics raise on {@code bind_interdomain}, is not taken for it). Records the round trip (send to the
 * answer's upcall) and the one-way time (send to the pong's upcall, stamped by the pong in the
 * control file; {@link System#nanoTime()} is CLOCK_MONOTONIC, shared by the processes), writes
 * both to the control file and powers off. Runs on vCPU 0.
 */
public final class EventChannelPingWorkload implements Workload
{
    /** The workload name in the start info. */
    public static final String NAME = "bench-evtchn-ping";
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long CONNECT_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

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
        ctx.submit(new Ping(ctx, control, control.guestDomid(0),
            BenchWorkloadArgs.positiveInt(args, BenchWorkloadArgs.WARMUP), BenchWorkloadArgs.positiveInt(args, BenchWorkloadArgs.MEASURED)));
    }

    private static final class Ping implements Task
    {
        private final GuestContext ctx;
        private final BenchControl control;
        private final AtomicBuffer shared;
        private final int peer;
        private final int warmup;
        private final int total;
        private final long connectDeadlineNs;
        private final Histogram roundTrips = BenchControl.newHistogram();
        private final Histogram oneWay = BenchControl.newHistogram();
        private int port;
        private int sent;
        private boolean upcalled;
        private long sendNs;
        private long upcallNs;

        Ping(final GuestContext ctx, final BenchControl control, final int peer, final int warmup, final int measured)
        {
            this.ctx = ctx;
            this.control = control;
            this.shared = control.buffer();
            this.peer = peer;
            this.warmup = warmup;
            this.total = warmup + measured;
            this.connectDeadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            if (port == 0)
            {
                return connect(task);
            }
            if (sent == 0)
            {
                return send();
            }
            final long answers = shared.getLongVolatile(BenchControlDescriptor.PONG_ANSWERS_OFFSET);
            if (!upcalled || answers < sent)
            {
                return StepResult.BLOCK;
            }
            if (answers != sent)
            {
                return fail("the pong sent " + answers + " answers for " + sent + " events");
            }
            if (sent > warmup)
            {
                BenchControl.record(roundTrips, upcallNs - sendNs);
                BenchControl.record(oneWay, shared.getLongVolatile(BenchControlDescriptor.PONG_UPCALL_NS_OFFSET) - sendNs);
            }
            if (sent == total)
            {
                control.publishResults(roundTrips, oneWay);
                ctx.hypercalls().evtchnClose(port);
                control.close();
                ctx.shutdown(ShutdownReason.POWEROFF);
                return StepResult.DONE;
            }
            return send();
        }

        private StepResult connect(final TaskContext task)
        {
            final int remotePort = shared.getIntVolatile(BenchControlDescriptor.PONG_PORT_OFFSET);
            if (remotePort == 0)
            {
                if (task.nowNs() - connectDeadlineNs >= 0)
                {
                    return fail("the pong published no port within " + TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NS) + " s");
                }
                task.wakeAfter(CONNECT_POLL_NS);
                return StepResult.BLOCK;
            }
            final long bound = ctx.hypercalls().evtchnBindInterdomain(peer, remotePort);
            if (bound <= 0)
            {
                return fail("bind_interdomain(dom" + peer + ", port " + remotePort + ") returned " + bound);
            }
            port = (int)bound;
            final var self = task.self();
            ctx.events().register(port, p ->
            {
                if (sent > 0)
                {
                    upcallNs = System.nanoTime();
                    upcalled = true;
                    self.wake();
                }
            });
            return StepResult.CONTINUE;
        }

        private StepResult send()
        {
            sent++;
            upcalled = false;
            sendNs = System.nanoTime();
            final long result = ctx.hypercalls().evtchnSend(port);
            return result < 0 ? fail("send on port " + port + " returned " + result) : StepResult.BLOCK;
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
