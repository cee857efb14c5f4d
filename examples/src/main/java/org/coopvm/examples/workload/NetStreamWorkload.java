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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code net-stream}: one stream of Ethernet frames from one guest to another (netperf's
 * TCP_STREAM without TCP). {@code role=receive} counts frames and payload bytes (frame minus the
 * 14-byte header) and publishes {@code frames}, {@code gbit-s} (the window) and {@code total-}
 * of both under {@code data/net-stream/} every {@code report_ms}; on the sender's bye, which
 * carries how many frames were sent, it adds {@code sent-frames} and {@code lost-frames}, says the
 * totals on the console and powers off (also after 2 s without a frame once data came, without
 * those two: every bye can be lost to a full receive queue). {@code role=send} waits for the receiver's hello
 * (broadcast, so neither needs the other's MAC), then sends {@code bytes}-long frames (default
 * 1514: a 1500-byte payload) as fast as the tx ring takes them for {@code seconds} (default 10),
 * then a bye (five, 10 ms apart: a frame to a full receive queue is dropped), publishes
 * {@code sent-frames} and {@code sent-gbit-s}, says them and powers off. Flow control as a
 * TCP stream's window: the receiver acknowledges every 64 data frames with the next sequence number
 * it expects, and the sender keeps at most {@code window} frames (default 320) unacknowledged, so a
 * slower receiver slows the sender instead of losing frames. {@code window=0} turns it off (as UDP
 * in iperf): frames that reach a receiver whose posted buffers are all full are dropped by dom0 and
 * counted as lost. Either way received + lost = sent.
 */
public final class NetStreamWorkload implements Workload
{
    private static final Set<String> KEYS = Set.of("role", "seconds", "bytes", "report_ms", "window", "omit_s");
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long HELLO_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long CONNECT_WAIT_NS = TimeUnit.SECONDS.toNanos(30);
    /**
     * Frames in flight before the sender waits for an acknowledgement: the receiver's rx ring (256
     * posted buffers) plus one acknowledgement's worth, so frames rarely wait in dom0's receive
     * queue (moving them from there takes the receiving vif's agent a wake-up) and are never
     * dropped there while acknowledgements come in time.
     */
    private static final int DEFAULT_WINDOW = 320;
    /** The receiver acknowledges every this many data frames. */
    private static final int ACK_EVERY = 64;

    @Override
    public String name()
    {
        return "net-stream";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        WorkloadArgs.requireKnown(args, KEYS, name());
        final String role = WorkloadArgs.required(args, "role");
        final long runNs = TimeUnit.SECONDS.toNanos(WorkloadArgs.longArg(args, "seconds", 10, 1, 86_400));
        final int bytes = (int)WorkloadArgs.longArg(args, "bytes", NetFrames.MAX_FRAME, NetFrames.MIN_FRAME, NetFrames.MAX_FRAME);
        final long reportNs = TimeUnit.MILLISECONDS.toNanos(WorkloadArgs.longArg(args, "report_ms", 1000, 100, 60_000));
        final int window = (int)WorkloadArgs.longArg(args, "window", DEFAULT_WINDOW, 0, 65_536);
        final long omitNs = TimeUnit.SECONDS.toNanos(WorkloadArgs.longArg(args, "omit_s", 0, 0, 3_600));
        switch (role)
        {
            case "send" -> ctx.submit(new Sender(ctx, runNs, bytes, window));
            case "receive" -> ctx.submit(new Receiver(ctx, reportNs, omitNs));
            default -> throw new IllegalArgumentException("net-stream: role '" + role + "' is not send or receive");
        }
    }

    /** @return the connected vif, or null with the task armed to look again (crashing after 30 s). */
    private static NetFrontend vif(final GuestContext ctx, final TaskContext task, final long startNs)
    {
        final NetFrontend vif = NetFrames.connectedVif(ctx).orElse(null);
        if (vif == null && task.nowNs() - startNs >= CONNECT_WAIT_NS)
        {
            ctx.console().log("net-stream: no vif connected within 30 s");
            ctx.shutdown(ShutdownReason.CRASH);
        }
        task.wakeAt(task.nowNs() + POLL_NS);
        return vif;
    }

    /**
     * Sends hellos until the receiver's first answer names it, then frames, then a bye. With a
     * window, at most that many frames are unacknowledged (TCP_STREAM's flow control without its
     * retransmission: an acknowledgement that does not come within {@link #ACK_TIMEOUT_NS} opens
     * the window again, counted as a stall). On vCPU 0, its frame handler too.
     */
    private static final class Sender implements Task
    {
        private static final int BATCH = 256;
        private static final int BYES = 5;
        /**
         * Linux's minimum TCP retransmission timeout ({@code TCP_RTO_MIN}, 200 ms). At 20 ms a receiver
         * that merely had no core for a while (a JIT compile, a GC, 2 cores shared by four threads)
         * counted as lost: the window opened again with its frames still in flight, and a few such
         * stalls in a row overfilled dom0's queue (18 frames dropped in a fresh io-a/io-b run).
         */
        private static final long ACK_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(200);

        private final GuestContext ctx;
        private final long runNs;
        private final int bytes;
        private final UnsafeBuffer frame = NetFrames.buffer();
        private NetFrontend vif;
        private volatile MacAddress peer;
        private long startNs;
        private long endNs;
        private long sequence;
        private long lastHelloNs;
        private int byes;
        private final int window;
        private long acked;
        private long lastAckNs;
        private long stalls;
        private long steps;
        private TaskHandle self;

        Sender(final GuestContext ctx, final long runNs, final int bytes, final int window)
        {
            this.ctx = ctx;
            this.runNs = runNs;
            this.bytes = bytes;
            this.window = window;
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            startNs = startNs == 0 ? task.nowNs() : startNs;
            self = task.self();
            if (vif == null)
            {
                if ((vif = vif(ctx, task, startNs)) == null)
                {
                    return StepResult.BLOCK;
                }
                vif.receive(this::onFrame);
            }
            if (peer == null)
            {
                if (task.nowNs() - lastHelloNs >= HELLO_NS)
                {
                    lastHelloNs = task.nowNs();
                    NetFrames.put(frame, MacAddress.BROADCAST, vif.mac(), NetFrames.HELLO, 0);
                    vif.send(frame, 0, NetFrames.MIN_FRAME);
                }
                task.wakeAt(task.nowNs() + POLL_NS);
                return StepResult.BLOCK;
            }
            return stream(task);
        }

        private StepResult stream(final TaskContext task)
        {
            if (endNs == 0)
            {
                endNs = task.nowNs() + runNs;
                lastAckNs = task.nowNs();
                ctx.console().log("net-stream: sending " + bytes + "-byte frames to " + peer + " for " +
                    TimeUnit.NANOSECONDS.toSeconds(runNs) + " s");
            }
            if (task.nowNs() - endNs >= 0)
            {
                return bye(task);
            }
            steps++;
            NetFrames.put(frame, peer, vif.mac(), NetFrames.DATA, 0);
            for (int i = 0; i < BATCH; i++)
            {
                if (window > 0 && sequence - acked >= window && !ackOverdue(task.nowNs()))
                {
                    task.wakeAt(lastAckNs + ACK_TIMEOUT_NS); // an acknowledgement wakes it sooner
                    return StepResult.BLOCK;
                }
                frame.putLong(NetFrames.VALUE_OFFSET, sequence, java.nio.ByteOrder.LITTLE_ENDIAN);
                if (vif.send(frame, 0, bytes) != 0)
                {
                    vif.wakeWhenTxFree(task.self()); // the tx ring is full: sleep until dom0 answered some
                    task.wakeAt(task.nowNs() + POLL_NS);
                    return StepResult.BLOCK;
                }
                sequence++;
            }
            return StepResult.CONTINUE;
        }

        /** @return whether the window waited for an acknowledgement too long: it opens again (a stall). */
        private boolean ackOverdue(final long nowNs)
        {
            if (nowNs - lastAckNs < ACK_TIMEOUT_NS)
            {
                return false;
            }
            stalls++;
            acked = sequence;
            lastAckNs = nowNs;
            return true;
        }

        /** The bye, {@link #BYES} times 10 ms apart: the receiver's queue may be full of data when the first comes. */
        private StepResult bye(final TaskContext task)
        {
            NetFrames.put(frame, peer, vif.mac(), NetFrames.BYE, sequence);
            if (vif.send(frame, 0, NetFrames.MIN_FRAME) == 0 && ++byes == BYES)
            {
                final long payloadBytes = sequence * (bytes - NetFrames.HEADER);
                final String gbits = WorkloadArgs.plain(NetFrames.gbits(payloadBytes, runNs));
                final Map<String, String> sent = NetFrames.vifFigures(ctx, vif);
                sent.put("sent-frames", Long.toString(sequence));
                sent.put("sent-gbit-s", gbits);
                sent.put("stalls", Long.toString(stalls));
                sent.put("steps", Long.toString(steps));
                new FigurePublisher(ctx.xenstore(), "data/net-stream", ctx.console()).publish(sent);
                ctx.console().log("net-stream: sent " + sequence + " frames, " + payloadBytes + " payload bytes, " + gbits + " Gbit/s" +
                    (window > 0 ? ", window " + window + " frames, " + stalls + " stalls" : ", no window"));
                ctx.shutdown(ShutdownReason.POWEROFF);
                return StepResult.DONE;
            }
            task.wakeAt(task.nowNs() + 10 * POLL_NS);
            return StepResult.BLOCK;
        }

        private void onFrame(final DirectBuffer received, final int offset, final int length)
        {
            final byte kind = NetFrames.kind(received, offset, length);
            if (peer == null && kind == NetFrames.PONG)
            {
                peer = NetFrames.source(received, offset);
            }
            else if (kind == NetFrames.ACK && NetFrames.value(received, offset) > acked)
            {
                acked = NetFrames.value(received, offset);
                lastAckNs = System.nanoTime();
                if (self != null)
                {
                    self.wake();
                }
            }
        }
    }

    /**
     * Answers hellos, counts data frames, reports; powers off on the bye, or after
     * {@link #SILENCE_NS} without a frame once data came (every bye can be dropped by a full
     * receive queue). With {@code omit_s}, it also reports the rate from that many seconds after
     * the first data frame to the last ({@code steady-gbit-s}, iperf3's {@code --omit}: the guests'
     * JITs still compile the data path in the first seconds). Task and handler on vCPU 0.
     */
    private static final class Receiver implements Task
    {
        private static final long SILENCE_NS = 2_000_000_000L;

        private final GuestContext ctx;
        private final long reportNs;
        private final long omitNs;
        private final FigurePublisher figures;
        private final UnsafeBuffer reply = NetFrames.buffer();
        private NetFrontend vif;
        private long startNs;
        private long firstNs;
        private long lastNs;
        private long highestSeen;
        private long windowNs;
        private long sent;
        private long frames;
        private long bytes;
        private long windowFrames;
        private long windowBytes;
        private long omitEndNs;
        private long bytesOmitted;
        private boolean bye;
        private TaskHandle self;

        Receiver(final GuestContext ctx, final long reportNs, final long omitNs)
        {
            this.ctx = ctx;
            this.reportNs = reportNs;
            this.omitNs = omitNs;
            this.figures = new FigurePublisher(ctx.xenstore(), "data/net-stream", ctx.console());
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            self = task.self();
            startNs = startNs == 0 ? task.nowNs() : startNs;
            if (vif == null)
            {
                if ((vif = vif(ctx, task, startNs)) == null)
                {
                    return StepResult.BLOCK;
                }
                vif.receive(this::onFrame);
            }
            final long nowNs = System.nanoTime();
            final boolean silent = firstNs != 0 && nowNs - lastNs > SILENCE_NS;
            if (bye || silent)
            {
                final Map<String, String> last = figures(nowNs);
                last.putAll(NetFrames.vifFigures(ctx, vif));
                if (bye)
                {
                    last.put("sent-frames", Long.toString(sent));
                    last.put("lost-frames", Long.toString(sent - frames));
                }
                figures.publish(last);
                ctx.console().log("net-stream: received " + frames + (bye ? " of " + sent + " frames (" + (sent - frames) + " lost), " :
                    " frames (no bye: ended after " + SILENCE_NS / 1_000_000 + " ms without a frame), ") +
                    bytes + " payload bytes, " + WorkloadArgs.plain(NetFrames.gbits(bytes, lastNs - firstNs)) + " Gbit/s" +
                    (omitEndNs == 0 ? "" : ", " + WorkloadArgs.plain(steadyGbits()) + " Gbit/s after the first " +
                        TimeUnit.NANOSECONDS.toSeconds(omitNs) + " s"));
                ctx.shutdown(ShutdownReason.POWEROFF);
                return StepResult.DONE;
            }
            if (firstNs != 0)
            {
                figures.publish(figures(nowNs));
            }
            task.wakeAt(task.nowNs() + Math.min(reportNs, SILENCE_NS));
            return StepResult.BLOCK;
        }

        private Map<String, String> figures(final long nowNs)
        {
            final Map<String, String> out = new LinkedHashMap<>();
            out.put("frames", Long.toString(windowFrames));
            out.put("gbit-s", WorkloadArgs.plain(NetFrames.gbits(windowBytes, nowNs - windowNs)));
            out.put("total-frames", Long.toString(frames));
            out.put("total-gbit-s", WorkloadArgs.plain(NetFrames.gbits(bytes, lastNs - firstNs)));
            if (omitEndNs != 0)
            {
                out.put("steady-gbit-s", WorkloadArgs.plain(steadyGbits()));
            }
            windowFrames = 0;
            windowBytes = 0;
            windowNs = nowNs;
            return out;
        }

        /** @return Gbit/s from the end of the omitted seconds to the last data frame. */
        private double steadyGbits()
        {
            return NetFrames.gbits(bytes - bytesOmitted, lastNs - omitEndNs);
        }

        private void onFrame(final DirectBuffer received, final int offset, final int length)
        {
            final byte kind = NetFrames.kind(received, offset, length);
            if (kind == NetFrames.DATA)
            {
                if (firstNs == 0)
                {
                    firstNs = System.nanoTime();
                    windowNs = firstNs;
                }
                frames++;
                windowFrames++;
                highestSeen = Math.max(highestSeen, NetFrames.value(received, offset) + 1);
                if (frames % ACK_EVERY == 0)
                {
                    NetFrames.put(reply, NetFrames.source(received, offset), vif.mac(), NetFrames.ACK, highestSeen);
                    vif.send(reply, 0, NetFrames.MIN_FRAME);
                }
                bytes += length - NetFrames.HEADER;
                windowBytes += length - NetFrames.HEADER;
                lastNs = System.nanoTime();
                if (omitNs > 0 && omitEndNs == 0 && lastNs - firstNs >= omitNs)
                {
                    omitEndNs = lastNs;
                    bytesOmitted = bytes;
                }
            }
            else if (kind == NetFrames.HELLO)
            {
                NetFrames.put(reply, NetFrames.source(received, offset), vif.mac(), NetFrames.PONG, 0);
                vif.send(reply, 0, NetFrames.MIN_FRAME);
            }
            else if (kind == NetFrames.BYE && !bye)
            {
                sent = NetFrames.value(received, offset);
                bye = true;
                self.wake();
            }
        }
    }
}
