package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@code pingpong}: two guests exchanging messages through a granted page and an interdomain
 * event channel. Arguments: {@code role=ping|pong}; {@code messages=N} (default 1000, the same on
 * both sides); {@code channel=NAME} (default {@code pingpong}: the rendezvous name, so several
 * pairs can run on one host); {@code peer=<domid>} (optional: the other side's domid; without it
 * the pong learns the ping's domid from the rendezvous); {@code connect-timeout-s} (default 30).
 *
 * <p>The ping announces its domid ({@link PingPongRendezvous}). The pong then allocates a page,
 * grants it to the ping (read-write), allocates an unbound port for it, and publishes
 * "domid port ref". The ping binds the port, maps the page, and sends requests (sequence number,
 * payload, CRC32C, {@link PingPongPageDescriptor}) one at a time; the pong checks each and
 * answers. Both log progress every tenth of the run and a summary (the ping: count and round-trip
 * p50/p99/p99.9/max/mean) to the console, then power off; a corrupt message or a missing peer
 * shuts the guest down with reason crash.
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
        final PingPongArgs parsed = PingPongArgs.parse(args);
        if (parsed.role().equals("pong"))
        {
            ctx.submit(new PongTask(ctx, parsed));
        }
        else
        {
            PingPongRendezvous.publish(ctx, parsed.channel(), PingPongRendezvous.PING, ctx.domid());
            ctx.submit(new PingTask(ctx, parsed));
        }
        ctx.console().log("pingpong " + parsed.role() + ": dom" + ctx.domid() + " on channel " + parsed.channel() +
            ", " + parsed.messages() + " messages");
    }

    static void progress(final GuestContext ctx, final String side, final long done, final long total)
    {
        if (total >= 10 && done % (total / 10) == 0)
        {
            ctx.console().log("pingpong " + side + ": " + done + "/" + total);
        }
    }
}
