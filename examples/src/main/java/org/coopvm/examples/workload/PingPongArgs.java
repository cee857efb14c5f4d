package org.coopvm.examples.workload;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The pingpong workload's arguments, validated once.
 *
 * <p>Thread safety: immutable.
 *
 * @param role             {@code ping} or {@code pong}.
 * @param channel          the rendezvous name both sides use (default {@code pingpong}).
 * @param peer             the other side's domid, when known in advance.
 * @param messages         round trips (same on both sides).
 * @param connectTimeoutNs how long a side waits for the other to appear.
 */
record PingPongArgs(String role, String channel, OptionalInt peer, long messages, long connectTimeoutNs)
{
    static PingPongArgs parse(final Map<String, String> args)
    {
        final String role = WorkloadArgs.required(args, "role");
        if (!role.equals("ping") && !role.equals("pong"))
        {
            throw new IllegalArgumentException("pingpong role must be ping or pong, was " + role);
        }
        final String channel = args.getOrDefault("channel", "pingpong").trim();
        if (!channel.matches("[A-Za-z0-9_-]{1,64}"))
        {
            throw new IllegalArgumentException("pingpong channel must be 1..64 of [A-Za-z0-9_-], was " + channel);
        }
        final int peer = WorkloadArgs.intArg(args, "peer", -1);
        final long messages = WorkloadArgs.longArg(args, "messages", 1000);
        if (messages < 1 || messages > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("pingpong messages must be 1.." + Integer.MAX_VALUE + ", was " + messages);
        }
        final long timeoutS = WorkloadArgs.longArg(args, "connect-timeout-s", 30);
        return new PingPongArgs(role, channel, peer > 0 ? OptionalInt.of(peer) : OptionalInt.empty(), messages,
            TimeUnit.SECONDS.toNanos(timeoutS));
    }
}
