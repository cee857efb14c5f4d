package org.coopvm.examples.workload;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.grant.GrantTable;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.workload.GuestContext;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.coopvm.examples.workload.PingPongPageDescriptor.*;

/**
 * The pong side: waits for the ping's domid (unless given), grants it a page and an unbound port
 * and publishes them; then answers each request with a response of the same sequence number and
 * notifies the ping. After the last one it waits (bounded) until the ping has unmapped the page,
 * ends the grant, and powers off.
 *
 * <p>Runs on vCPU 0; the port's event handler wakes it.
 */
final class PongTask implements Task
{
    private static final long UNMAP_WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long RETRY_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LOOKUP_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private final GuestContext ctx;
    private final PingPongArgs args;
    private final long connectDeadlineNs;
    private AtomicBuffer page;
    private Allocation shared;
    private int port;
    private int ref;
    private long answered;
    private long finishDeadlineNs;

    PongTask(final GuestContext ctx, final PingPongArgs args)
    {
        this.ctx = ctx;
        this.args = args;
        this.connectDeadlineNs = ctx.clock().nanoTime() + args.connectTimeoutNs();
    }

    @Override
    public StepResult step(final TaskContext task)
    {
        if (page == null)
        {
            return offer(task);
        }
        if (answered == args.messages())
        {
            return finishing(task);
        }
        final long seq = sequence(page, REQUEST_OFFSET);
        if (seq == answered)
        {
            return StepResult.BLOCK;
        }
        if (seq != answered + 1 || !isIntact(page, REQUEST_OFFSET, seq, PingPongWorkload.REQUEST_SALT))
        {
            ctx.console().log("pingpong pong: corrupt request (seq " + seq + ", expected " + (answered + 1) + ")");
            ctx.shutdown(ShutdownReason.CRASH);
            return StepResult.DONE;
        }
        write(page, RESPONSE_OFFSET, seq, PingPongWorkload.RESPONSE_SALT);
        ctx.hypercalls().evtchnSend(port);
        answered = seq;
        PingPongWorkload.progress(ctx, "pong", answered, args.messages());
        return answered == args.messages() ? StepResult.CONTINUE : StepResult.BLOCK;
    }

    private StepResult offer(final TaskContext task)
    {
        final Optional<Integer> peer = args.peer().isPresent() ? Optional.of(args.peer().getAsInt()) :
            PingPongRendezvous.lookup(ctx, args.channel(), PingPongRendezvous.PING, 1).map(v -> v[0]);
        if (peer.isPresent())
        {
            setUp(task.self(), peer.get());
            return StepResult.BLOCK;
        }
        if (task.nowNs() - connectDeadlineNs >= 0)
        {
            ctx.console().log("pingpong pong: no ping announced itself on channel " + args.channel());
            ctx.shutdown(ShutdownReason.CRASH);
            return StepResult.DONE;
        }
        task.wakeAfter(LOOKUP_NS);
        return StepResult.BLOCK;
    }

    private void setUp(final TaskHandle self, final int peer)
    {
        shared = ctx.memory().allocatePages(1).toOptional().orElse(null);
        ref = shared == null ? -1 : ctx.grants().grantAccess(peer, shared.frame(0), false);
        final long allocated = ctx.hypercalls().evtchnAllocUnbound(peer);
        if (ref < GrantTable.FIRST_FREE_REF || allocated <= 0)
        {
            throw new IllegalStateException("pingpong pong: page " + shared + ", grant " + ref + ", alloc_unbound " + allocated);
        }
        port = (int)allocated;
        page = shared.page(0);
        ctx.events().register(port, p -> self.wake());
        PingPongRendezvous.publish(ctx, args.channel(), PingPongRendezvous.PONG, ctx.domid(), port, ref);
        ctx.console().log("pingpong pong: granted ref " + ref + " and port " + port + " to dom" + peer);
    }

    private StepResult finishing(final TaskContext task)
    {
        if (finishDeadlineNs == 0)
        {
            finishDeadlineNs = task.nowNs() + UNMAP_WAIT_NS;
        }
        final boolean ended = ctx.grants().endAccess(ref);
        if (!ended && task.nowNs() - finishDeadlineNs < 0)
        {
            task.wakeAfter(RETRY_NS);
            return StepResult.BLOCK;
        }
        if (ended)
        {
            ctx.memory().free(shared);
        }
        ctx.events().unregister(port);
        ctx.hypercalls().evtchnClose(port);
        PingPongRendezvous.remove(ctx, args.channel(), PingPongRendezvous.PONG);
        ctx.console().log("pingpong pong: done, answered " + answered + " messages" + (ended ? "" : " (the ping never unmapped the page)"));
        ctx.shutdown(ShutdownReason.POWEROFF);
        return StepResult.DONE;
    }
}
