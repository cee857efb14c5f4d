package org.coopvm.drivers.net;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.guest.net.NetFrontend;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.drivers.net.RawNetfront.DEADLINE_S;

/**
 * dom0's data path from one guest's tx ring to another's posted rx buffers: a frame goes straight
 * from the sender's page into a buffer the receiver posted (one copy) while it has buffers, waits
 * in the receiver's queue while it has none, and either way arrives intact and in order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetDataPathTest
{
    private static final MacAddress SENDER = MacAddress.parse("00:16:3e:00:00:01");
    private static final MacAddress RECEIVER = MacAddress.parse("00:16:3e:00:00:02");
    private static final int FRAMES = 300;
    private static final int POSTED = 16;
    private static final int FULL_FRAME = 1514;
    /** Packets the rate-limited vif passes at once (and per second after that). */
    private static final int BURST = 1_000;
    /** More than the burst and the tx ring (256) together: the ring must fill. */
    private static final int RATE_LIMITED_FRAMES = BURST + 400;

    private final NetTestHost host = new NetTestHost();

    @AfterEach
    void stop()
    {
        host.close();
    }

    @Test
    void framesArriveIntactAndInOrderWhetherCopiedStraightIntoPostedBuffersOrQueuedUntilSomeArePosted()
    {
        final Pair pair = pair();
        final NetFrontend sender = pair.sender();
        final RawNetfront receiver = pair.receiver();
        final VifCounters counters = pair.receiverCounters();
        receiver.postRx(0, POSTED);

        for (int sequence = 0; sequence < FRAMES; sequence++)
        {
            send(sender, sequence);
        }
        await().atMost(DEADLINE_S, TimeUnit.SECONDS)
            .until(() -> counters.get(VifCounters.Value.RX_FRAMES) + counters.get(VifCounters.Value.RX_QUEUED) == FRAMES);
        assertThat(counters.get(VifCounters.Value.RX_QUEUED)).as("the frames beyond the posted buffers waited")
            .isEqualTo(FRAMES - POSTED);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
        for (int sequence = 0; sequence < FRAMES; sequence++)
        {
            if (sequence > 0 && sequence % POSTED == 0)
            {
                receiver.postRx(sequence, POSTED);
            }
            assertThat(receiver.receive(frame)).as("frame %d's length", sequence).isEqualTo(length(sequence));
            assertThat(frame.getInt(14)).as("in order").isEqualTo(sequence);
            assertThat(NetSplitDriverTest.checksumOk(frame, 0, length(sequence))).as("frame %d intact", sequence).isTrue();
        }

        receiver.postRx(FRAMES, POSTED);
        for (int sequence = FRAMES; sequence < FRAMES + POSTED; sequence++)
        {
            send(sender, sequence);
            assertThat(receiver.receive(frame)).isEqualTo(length(sequence));
            assertThat(frame.getInt(14)).isEqualTo(sequence);
        }
        assertThat(counters.get(VifCounters.Value.RX_QUEUED)).as("straight into posted buffers again").isEqualTo(FRAMES - POSTED);
        assertThat(counters.get(VifCounters.Value.RX_FRAMES)).isEqualTo(FRAMES + POSTED);
        assertThat(counters.get(VifCounters.Value.DROPPED_RX_FULL)).isZero();
    }

    @Test
    void aReceiverThatPostsNoBuffersGetsWhatItsQueueHeldInOrderAndTheRestIsDroppedAndCounted()
    {
        final Pair pair = pair();
        final NetFrontend sender = pair.sender();
        final RawNetfront receiver = pair.receiver();
        final VifCounters counters = pair.receiverCounters();
        final int overload = NetbackRing.INBOX_BYTES / FULL_FRAME + 200;

        for (int sequence = 0; sequence < overload; sequence++)
        {
            send(sender, sequence, FULL_FRAME);
        }
        await().atMost(DEADLINE_S, TimeUnit.SECONDS)
            .until(() -> counters.get(VifCounters.Value.RX_QUEUED) + counters.get(VifCounters.Value.DROPPED_RX_FULL) == overload);
        final long queued = counters.get(VifCounters.Value.RX_QUEUED);
        assertThat(counters.get(VifCounters.Value.DROPPED_RX_FULL)).as("a full queue drops, as a Xen vif's does").isPositive();
        assertThat(queued).as("the queue held most of its 1 MiB").isGreaterThan(NetbackRing.INBOX_BYTES / FULL_FRAME - 20);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FULL_FRAME]);
        for (int sequence = 0; sequence < queued; sequence++)
        {
            if (sequence % POSTED == 0)
            {
                receiver.postRx(sequence, POSTED);
            }
            assertThat(receiver.receive(frame)).as("frame %d's length", sequence).isEqualTo(FULL_FRAME);
            assertThat(frame.getInt(14)).as("the oldest frames were kept, in order").isEqualTo(sequence);
            assertThat(NetSplitDriverTest.checksumOk(frame, 0, FULL_FRAME)).as("frame %d intact", sequence).isTrue();
        }
        assertThat(counters.get(VifCounters.Value.RX_FRAMES)).isEqualTo(queued);
    }

    @Test
    void aSenderThatFoundEveryTxBufferInFlightSleepsUntilDom0AnswersSomeAndThenSendsTheRest()
    {
        final Domain senderDomain = host.domain("sender", SENDER, Map.of(NetifDevice.RATE_PACKETS, Integer.toString(BURST)));
        final GuestKernel kernel = host.boot(senderDomain, KernelConfig.DEFAULT);
        final NetFrontend sender = NetTestHost.connectedFrontend(kernel);
        host.connectedFrontend(host.domain("receiver", RECEIVER));
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger sleeps = new AtomicInteger();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
        NetSplitDriverTest.build(frame, RECEIVER, SENDER, 0, 1514);

        final TaskHandle task = kernel.context().submit(0, step ->
        {
            while (sent.get() < RATE_LIMITED_FRAMES)
            {
                if (sender.send(frame, 0, 1514) != 0)
                {
                    sleeps.incrementAndGet();
                    sender.wakeWhenTxFree(step.self()); // no timer: only the backend's answers wake it
                    return StepResult.BLOCK;
                }
                sent.incrementAndGet();
            }
            return StepResult.DONE;
        });

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(task::isDone);
        assertThat(sleeps.get()).as("the rate limit (%d frames at once) kept every tx buffer in flight at least once", BURST)
            .isPositive();
        assertThat(sent.get()).isEqualTo(RATE_LIMITED_FRAMES);
    }

    /** A guest with a real netfront sending to one with a hand-made one, and dom0's counters of the receiving vif. */
    private record Pair(NetFrontend sender, RawNetfront receiver, VifCounters receiverCounters)
    {
    }

    private Pair pair()
    {
        final NetFrontend sender = host.connectedFrontend(host.domain("sender", SENDER));
        final Domain receiverDomain = host.domain("receiver", RECEIVER);
        return new Pair(sender, host.rawFront(receiverDomain), host.backend.counters(receiverDomain.domid(), 0).orElseThrow());
    }

    private static void send(final NetFrontend sender, final int sequence)
    {
        send(sender, sequence, length(sequence));
    }

    private static void send(final NetFrontend sender, final int sequence, final int length)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FULL_FRAME]);
        NetSplitDriverTest.build(frame, RECEIVER, SENDER, sequence, length);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
            .until(() -> sender.send(frame, 0, length) == 0);
    }

    /** 60..1514 bytes, different for neighbours. */
    private static int length(final int sequence)
    {
        return 60 + sequence * 97 % 1455;
    }
}
