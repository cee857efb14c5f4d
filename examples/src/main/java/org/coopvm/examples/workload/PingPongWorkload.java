package org.coopvm.examples.workload;

import org.coopvm.guest.grant.GrantTable;
import org.coopvm.guest.mem.PageAllocator;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code pingpong}: two guests exchanging messages through a granted page and an interdomain
 * event channel. Arguments: {@code role=ping|pong}, {@code peer=<domid>} (the other guest),
 * {@code messages=N} (default 1000, same on both sides), for the ping optionally
 * {@code connect-timeout-s} (default 30) and fixed {@code port=}/{@code ref=} instead of the
 * rendezvous.
 *
 * <p>The pong allocates a page, grants it to the peer (read-write), allocates an unbound port for
 * the peer, and publishes "port ref" ({@link PingPongRendezvous}). The ping binds the port, maps
 * the page, and sends requests (sequence number, payload, CRC32C — {@link PingPongPageDescriptor})
 * one at a time; the pong checks each and answers. Both log progress every tenth of the run and a
 * summary (count, round-trip p50/p99/p99.9/max/mean on the ping) to the console, then power off.
 */
public final class PingPongWorkload implements Workload
{
    static final long REQUEST_SALT = 0x5049_4E47L;
    static final long RESPONSE_SALT = 0x504F_4E47L;

    @Override
    public String name()
    {
        return "pingpong";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final String role = WorkloadArgs.required(args, "role");
        final int peer = WorkloadArgs.intArg(args, "peer", -1);
        final long messages = WorkloadArgs.longArg(args, "messages", 1000);
        if (peer < 0 || messages < 1 || messages > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("pingpong needs peer=<domid> and messages in 1.." + Integer.MAX_VALUE);
        }
        switch (role)
        {
            case "pong" -> startPong(ctx, peer, messages);
            case "ping" -> startPing(ctx, peer, messages, args);
            default -> throw new IllegalArgumentException("pingpong role must be ping or pong, was " + role);
        }
    }

    static void progress(final GuestContext ctx, final String side, final long done, final long total)
    {
        if (total >= 10 && done % (total / 10) == 0)
        {
            ctx.console().log("pingpong " + side + ": " + done + "/" + total);
        }
    }

    private static void startPong(final GuestContext ctx, final int peer, final long messages)
    {
        final int frame = ctx.pages().allocate();
        if (frame == PageAllocator.NO_FRAME)
        {
            throw new IllegalStateException("pingpong pong: no free page");
        }
        final int ref = ctx.grants().grantAccess(peer, frame, false);
        final long port = ctx.hypercalls().evtchnAllocUnbound(peer);
        if (ref < GrantTable.FIRST_FREE_REF || port <= 0)
        {
            throw new IllegalStateException("pingpong pong: grant " + ref + ", alloc_unbound " + port);
        }
        final TaskHandle pong = ctx.submit(new PongTask(ctx, ctx.pages().page(frame), frame, (int)port, ref, messages));
        ctx.events().register((int)port, p -> pong.wake());
        try
        {
            PingPongRendezvous.publish(ctx, (int)port, ref);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("pingpong pong: cannot publish the rendezvous: " + ex, ex);
        }
        ctx.console().log("pingpong pong: port " + port + " ref " + ref + " for dom" + peer + ", expecting " + messages + " messages");
    }

    private static void startPing(final GuestContext ctx, final int peer, final long messages, final Map<String, String> args)
    {
        final long timeoutNs = TimeUnit.SECONDS.toNanos(WorkloadArgs.longArg(args, "connect-timeout-s", 30));
        final Optional<int[]> fixed = args.containsKey("port") && args.containsKey("ref") ?
            Optional.of(new int[] {WorkloadArgs.intArg(args, "port", 0), WorkloadArgs.intArg(args, "ref", 0)}) : Optional.empty();
        ctx.submit(new PingTask(ctx, peer, messages, timeoutNs, fixed));
    }
}
