package org.coopvm.perf.throughput;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.xen.BackRing;
import org.coopvm.rings.xen.FrontRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Ours: one-way throughput of the Xen {@code io/ring.h} ring with 64-byte slots, used as Xen
 * drivers use it. The producer thread is the front: it copies requests into the free slots (up
 * to 64 per call) and pushes them once (release store, full fence, notify check), as Xen front
 * ends push once per batch; when the ring is full it consumes the responses that free slots. The consumer thread is the back: it copies requests out,
 * answers each with an 8-byte status written in place, and pushes the responses once per batch.
 * The ring holds 16384 slots (1 MiB, as the Agrona peer's ring).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class XenRingThroughput
{
    /** 16384 slots of 64 bytes after the 64-byte header, rounded to whole pages. */
    static final int RING_BYTES = OneWayMessages.RING_CAPACITY + Pages.PAGE_SIZE;

    private FrontRing front;
    private BackRing back;
    private UnsafeBuffer message;
    private UnsafeBuffer frontCopy;
    private UnsafeBuffer backCopy;
    private long checksum;

    /** A fresh ring, initialised by the front, for each trial. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final UnsafeBuffer memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(RING_BYTES, Pages.PAGE_SIZE));
        front = FrontRing.initialise(memory, 0, RING_BYTES, OneWayMessages.MESSAGE_LENGTH);
        back = BackRing.attach(memory, 0, RING_BYTES, OneWayMessages.MESSAGE_LENGTH);
        message = OneWayMessages.newMessage();
        frontCopy = OneWayMessages.newMessage();
        backCopy = OneWayMessages.newMessage();
    }

    /** @return requests pushed: up to {@link OneWayMessages#POLL_LIMIT}, 0 when the ring is full. */
    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public int producer()
    {
        if (front.full())
        {
            while (front.copyResponse(frontCopy, 0))
            {
                checksum += frontCopy.getLong(0);
            }
        }
        int queued = 0;
        while (queued < OneWayMessages.POLL_LIMIT && front.putRequest(message, 0, OneWayMessages.MESSAGE_LENGTH))
        {
            queued++;
        }
        if (queued > 0)
        {
            front.pushRequestsAndCheckNotify();
        }
        return queued;
    }

    /** @param received counts the requests consumed. */
    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public void consumer(final ReceivedMessages received)
    {
        int consumed = 0;
        while (consumed < OneWayMessages.POLL_LIMIT && back.copyRequest(backCopy, 0))
        {
            checksum += backCopy.getLong(0);
            final int slot = back.claimResponse();
            if (slot != BackRing.NO_SLOT)
            {
                back.buffer().putLong(slot, 0L);
            }
            consumed++;
        }
        if (consumed > 0)
        {
            back.pushResponsesAndCheckNotify();
            received.messages += consumed;
        }
    }
}
