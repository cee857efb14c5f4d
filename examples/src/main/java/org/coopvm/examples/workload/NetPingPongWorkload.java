package org.coopvm.examples.workload;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.net.NetFrontend;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;
import org.coopvm.rings.netif.MacAddress;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code net-pingpong}: Ethernet round trips between two guests through netfront, netback and
 * dom0's switch. {@code role=pong} answers every ping to its sender; {@code role=ping} broadcasts
 * a hello until a pong answers (so neither needs the other's MAC), then keeps one ping in flight,
 * {@code messages} times (default 10000), and records each round trip (timestamp in the frame).
 * It publishes {@code requests}, {@code p50-us}, {@code p99-us}, {@code max-us} under
 * {@code data/net-pingpong/}, says them on the console, sends a bye (the pong powers off on it)
 * and powers off. Arguments: {@code role}, {@code messages}, {@code bytes} (frame length 60..1514,
 * default 60).
 */
public final class NetPingPongWorkload implements Workload
{
    private static final Set<String> KEYS = Set.of("role", "messages", "bytes");

    @Override
    public String name()
    {
        return "net-pingpong";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        WorkloadArgs.requireKnown(args, KEYS, name());
        final String role = WorkloadArgs.required(args, "role");
        final long messages = WorkloadArgs.longArg(args, "messages", 10_000, 1, 1L << 40);
        final int bytes = (int)WorkloadArgs.longArg(args, "bytes", NetFrames.MIN_FRAME, NetFrames.MIN_FRAME, NetFrames.MAX_FRAME);
        switch (role)
        {
            case "ping" -> ctx.submit(new Pinger(ctx, messages, bytes));
            case "pong" -> ctx.submit(new Ponger(ctx, bytes));
            default -> throw new IllegalArgumentException("net-pingpong: role '" + role + "' is not ping or pong");
        }
    }

    /** Waits for the vif (at most 30 s), then installs the frame handler; both on vCPU 0. */
    private abstract static class VifTask implements Task
    {
        static final long CONNECT_WAIT_NS = TimeUnit.SECONDS.toNanos(30);
        static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

        final GuestContext ctx;
        final UnsafeBuffer frame = NetFrames.buffer();
        final int bytes;
        NetFrontend vif;
        TaskHandle self;
        long connectDeadlineNs;

        VifTask(final GuestContext ctx, final int bytes)
        {
            this.ctx = ctx;
            this.bytes = bytes;
        }

        /** @return true once connected; otherwise the task is armed to look again (or has failed). */
        boolean connect(final TaskContext task)
        {
            self = task.self();
            if (vif != null)
            {
                return true;
            }
            connectDeadlineNs = connectDeadlineNs == 0 ? task.nowNs() + CONNECT_WAIT_NS : connectDeadlineNs;
            vif = NetFrames.connectedVif(ctx).orElse(null);
            if (vif == null)
            {
                if (task.nowNs() - connectDeadlineNs >= 0)
                {
                    ctx.console().log("net-pingpong: no vif connected within 30 s");
                    ctx.shutdown(ShutdownReason.CRASH);
                }
                task.wakeAt(task.nowNs() + POLL_NS);
                return false;
            }
            vif.receive(this::onFrame);
            return true;
        }

        void send(final MacAddress to, final byte kind, final long value)
        {
            NetFrames.put(frame, to, vif.mac(), kind, value);
            vif.send(frame, 0, bytes); // a lost frame is sent again by the pinger's timer
        }

        abstract void onFrame(DirectBuffer received, int offset, int length);
    }

    /** Answers pings; powers off on a bye. */
    private static final class Ponger extends VifTask
    {
        private boolean done;

        Ponger(final GuestContext ctx, final int bytes)
        {
            super(ctx, bytes);
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            if (!connect(task) || !done)
            {
                return StepResult.BLOCK; // woken by the timer while connecting, then by a bye
            }
            ctx.shutdown(ShutdownReason.POWEROFF);
            return StepResult.DONE;
        }

        @Override
        void onFrame(final DirectBuffer received, final int offset, final int length)
        {
            final byte kind = NetFrames.kind(received, offset, length);
            if (kind == NetFrames.HELLO || kind == NetFrames.PING)
            {
                send(NetFrames.source(received, offset), NetFrames.PONG, NetFrames.value(received, offset));
            }
            else if (kind == NetFrames.BYE)
            {
                done = true;
                self.wake();
            }
        }
    }

    /** Hello until answered, then one ping in flight at a time; the timer resends a lost one. */
    private static final class Pinger extends VifTask
    {
        private static final long RESEND_NS = TimeUnit.MILLISECONDS.toNanos(100);
        /** How long the pinger stays up after its byes: powering off tears its vif down, and frames dom0 has not taken yet go with it. */
        private static final long BYE_DRAIN_NS = TimeUnit.MILLISECONDS.toNanos(100);
        private static final long HELLO = -1;

        private final ResponseTimes times = new ResponseTimes();
        private final FigurePublisher figures;
        private final long messages;
        private MacAddress peer;
        private long inFlightSentNs;
        private boolean finished;
        private long byeSentNs;

        Pinger(final GuestContext ctx, final long messages, final int bytes)
        {
            super(ctx, bytes);
            this.messages = messages;
            this.figures = new FigurePublisher(ctx.xenstore(), "data/net-pingpong", ctx.console());
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            if (!connect(task))
            {
                return StepResult.BLOCK;
            }
            if (finished)
            {
                return finish(task);
            }
            if (peer == null)
            {
                send(MacAddress.BROADCAST, NetFrames.HELLO, HELLO);
            }
            else if (System.nanoTime() - inFlightSentNs >= RESEND_NS)
            {
                inFlightSentNs = System.nanoTime(); // lost: ask again
                send(peer, NetFrames.PING, inFlightSentNs);
            }
            task.wakeAt(task.nowNs() + RESEND_NS);
            return StepResult.BLOCK;
        }

        @Override
        void onFrame(final DirectBuffer received, final int offset, final int length)
        {
            if (NetFrames.kind(received, offset, length) != NetFrames.PONG || finished)
            {
                return;
            }
            final long value = NetFrames.value(received, offset);
            if (peer == null && value == HELLO)
            {
                peer = NetFrames.source(received, offset);
                ctx.console().log("net-pingpong: peer " + peer + ", " + messages + " round trips of " + bytes + "-byte frames");
            }
            else if (peer != null && value == inFlightSentNs)
            {
                times.record(System.nanoTime() - value);
                finished = times.count() >= messages;
            }
            else
            {
                return; // a late answer to a resent ping
            }
            if (finished)
            {
                self.wake();
            }
            else
            {
                inFlightSentNs = System.nanoTime();
                send(peer, NetFrames.PING, inFlightSentNs);
            }
        }

        private StepResult finish(final TaskContext task)
        {
            if (byeSentNs != 0)
            {
                ctx.shutdown(ShutdownReason.POWEROFF);
                return StepResult.DONE;
            }
            figures.publish(times.drainFigures());
            ctx.console().log("net-pingpong: done, " + times.summary());
            for (int i = 0; i < 3; i++)
            {
                send(peer, NetFrames.BYE, 0); // three: one lost would leave the pong running
            }
            byeSentNs = task.nowNs();
            task.wakeAt(byeSentNs + BYE_DRAIN_NS); // power off only once dom0 has had time to forward them
            return StepResult.BLOCK;
        }
    }
}
