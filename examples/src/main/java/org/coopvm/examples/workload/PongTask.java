package org.coopvm.examples.workload;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;

import java.util.concurrent.TimeUnit;

import static org.coopvm.examples.workload.PingPongPageDescriptor.*;

/**
 * The pong side: answers each request in the granted page with a response of the same sequence
 * number, then notifies the ping. After the last one it waits (bounded) until the ping has
 * unmapped the page, ends the grant, and powers off.
 *
 * <p>Runs on vCPU 0; the port's event handler wakes it.
 */
final class PongTask implements Task
{
    private static final long UNMAP_WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long RETRY_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final GuestContext ctx;
    private final AtomicBuffer page;
    private final int frame;
    private final int port;
    private final int ref;
    private final long messages;
    private long answered;
    private long finishDeadlineNs;

    PongTask(final GuestContext ctx, final AtomicBuffer page, final int frame, final int port, final int ref, final long messages)
    {
        this.ctx = ctx;
        this.page = page;
        this.frame = frame;
        this.port = port;
        this.ref = ref;
        this.messages = messages;
    }

    @Override
    public StepResult step(final TaskContext task)
    {
        if (answered == messages)
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
        PingPongWorkload.progress(ctx, "pong", answered, messages);
        return answered == messages ? StepResult.CONTINUE : StepResult.BLOCK;
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
            ctx.pages().free(frame);
        }
        ctx.events().unregister(port);
        ctx.hypercalls().evtchnClose(port);
        PingPongRendezvous.remove(ctx);
        ctx.console().log("pingpong pong: done, answered " + answered + " messages" + (ended ? "" : " (the ping never unmapped the page)"));
        ctx.shutdown(ShutdownReason.POWEROFF);
        return StepResult.DONE;
    }
}
