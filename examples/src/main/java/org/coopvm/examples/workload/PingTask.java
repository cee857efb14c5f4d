package org.coopvm.examples.workload;

import org.agrona.DirectBuffer;
import org.coopvm.guest.grant.MappedGrant;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.coopvm.examples.workload.PingPongPageDescriptor.*;

/**
 * The ping side: finds the pong's port and grant reference ({@link PingPongRendezvous}), binds
 * the interdomain channel, maps the granted page, then sends N requests one at a time, checking
 * each response's sequence and checksum and timing the round trip. At the end it unmaps, closes
 * the port, logs the round-trip statistics and powers off.
 *
 * <p>Runs on vCPU 0; the port's event handler wakes it.
 */
final class PingTask implements Task
{
    private static final long RETRY_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private final GuestContext ctx;
    private final PingPongArgs args;
    private final long messages;
    private final long connectDeadlineNs;
    private final long[] rttNs;
    private int peer;
    private MappedGrant grant;
    private DirectBuffer page;
    private int localPort;
    private long sent;
    private long sentAtNs;
    private long startNs;

    PingTask(final GuestContext ctx, final PingPongArgs args)
    {
        this.ctx = ctx;
        this.args = args;
        this.messages = args.messages();
        this.connectDeadlineNs = ctx.clock().nanoTime() + args.connectTimeoutNs();
        this.rttNs = new long[Math.toIntExact(messages)];
    }

    @Override
    public StepResult step(final TaskContext task)
    {
        if (grant == null)
        {
            return connect(task);
        }
        final long seq = sequence(page, RESPONSE_OFFSET);
        if (seq != sent)
        {
            return StepResult.BLOCK;
        }
        if (!isIntact(page, RESPONSE_OFFSET, seq, PingPongWorkload.RESPONSE_SALT))
        {
            ctx.console().log("pingpong ping: corrupt response " + seq);
            ctx.shutdown(ShutdownReason.CRASH);
            return StepResult.DONE;
        }
        rttNs[(int)(seq - 1)] = task.nowNs() - sentAtNs;
        PingPongWorkload.progress(ctx, "ping", seq, messages);
        if (seq == messages)
        {
            finish(task);
            return StepResult.DONE;
        }
        send(task);
        return StepResult.BLOCK;
    }

    private StepResult connect(final TaskContext task)
    {
        final Optional<int[]> found = PingPongRendezvous.lookup(ctx, args.channel(), PingPongRendezvous.PONG, 3)
            .filter(v -> args.peer().isEmpty() || args.peer().getAsInt() == v[0]);
        if (found.isPresent() && tryConnect(task, found.get()[0], found.get()[1], found.get()[2]))
        {
            PingPongRendezvous.remove(ctx, args.channel(), PingPongRendezvous.PING);
            ctx.console().log("pingpong ping: connected to dom" + peer + " port " + found.get()[1] + " ref " + found.get()[2] +
                " (local port " + localPort + ")");
            startNs = task.nowNs();
            send(task);
            return StepResult.BLOCK;
        }
        if (task.nowNs() - connectDeadlineNs >= 0)
        {
            ctx.console().log("pingpong ping: no pong on channel " + args.channel() + " before the deadline");
            ctx.shutdown(ShutdownReason.CRASH);
            return StepResult.DONE;
        }
        task.wakeAfter(RETRY_NS);
        return StepResult.BLOCK;
    }

    private boolean tryConnect(final TaskContext task, final int pong, final int remotePort, final int ref)
    {
        peer = pong;
        final long port = ctx.hypercalls().evtchnBindInterdomain(peer, remotePort);
        if (port < 0)
        {
            return false;
        }
        final MappedGrant mapped = ctx.grantMapper().map(peer, ref, false);
        if (!mapped.isMapped())
        {
            ctx.hypercalls().evtchnClose((int)port);
            return false;
        }
        localPort = (int)port;
        grant = mapped;
        page = mapped.mapping().readBuffer();
        final var self = task.self();
        ctx.events().register(localPort, p -> self.wake());
        return true;
    }

    private void send(final TaskContext task)
    {
        sent++;
        write(grant.mapping().buffer(), REQUEST_OFFSET, sent, PingPongWorkload.REQUEST_SALT);
        sentAtNs = task.nowNs();
        ctx.hypercalls().evtchnSend(localPort);
    }

    private void finish(final TaskContext task)
    {
        final long elapsedNs = task.nowNs() - startNs;
        final long unmapStatus = ctx.grantMapper().unmap(grant);
        ctx.events().unregister(localPort);
        ctx.hypercalls().evtchnClose(localPort);
        Arrays.sort(rttNs);
        ctx.console().log(String.format(java.util.Locale.ROOT,
            "pingpong ping: done, %d messages, 0 checksum errors, %.1f s, round trip us: p50 %.1f p99 %.1f p99.9 %.1f max %.1f mean %.1f%s",
            messages, elapsedNs / 1e9, micros(percentile(0.50)), micros(percentile(0.99)), micros(percentile(0.999)),
            micros(rttNs[rttNs.length - 1]), micros(Arrays.stream(rttNs).sum() / (double)rttNs.length),
            unmapStatus == 0 ? "" : " (unmap status " + unmapStatus + ")"));
        ctx.shutdown(ShutdownReason.POWEROFF);
    }

    private long percentile(final double p)
    {
        return rttNs[Math.min(rttNs.length - 1, (int)Math.ceil(p * rttNs.length) - 1)];
    }

    private static double micros(final double ns)
    {
        return ns / 1000.0;
    }
}
