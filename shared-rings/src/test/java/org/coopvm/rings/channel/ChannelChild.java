package org.coopvm.rings.channel;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.doorbell.WaitResult;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link CrossProcessChannelTest}. Modes:
 * <ul>
 *     <li>{@code echo IN OUT COUNT}: consume COUNT messages from channel file IN, verify each
 *     (checksum, order), offer each back unchanged on OUT; exit 0, or non-zero naming the fault;</li>
 *     <li>{@code idle-consumer IN}: open IN's consumer end and stay silent until killed (two
 *     minutes at most).</li>
 * </ul>
 */
public final class ChannelChild
{
    private static final long DEADLINE_NS = TimeUnit.MINUTES.toNanos(2);

    private ChannelChild()
    {
    }

    /**
     * @param args the mode and its arguments.
     * @throws InterruptedException never expected.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if ("echo".equals(args[0]))
        {
            System.exit(echo(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3])));
        }
        try (MessageChannel in = MessageChannel.attachFile(Path.of(args[1])))
        {
            in.openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS));
        }
    }

    private static int echo(final Path inFile, final Path outFile, final long count)
    {
        try (MessageChannel in = MessageChannel.attachFile(inFile);
            MessageChannel out = MessageChannel.attachFile(outFile))
        {
            final ChannelConsumer consumer = in.openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
            final ChannelProducer producer = out.openProducer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
            final Echo echo = new Echo(producer);
            final long deadlineNs = System.nanoTime() + DEADLINE_NS;
            while (echo.received < count && echo.fault == null)
            {
                if (consumer.poll(echo, 256) == 0 && consumer.awaitMessages(TimeUnit.SECONDS.toNanos(1)) == WaitResult.PEER_GONE)
                {
                    echo.fault = "producer gone after " + echo.received + " messages";
                }
                if (System.nanoTime() - deadlineNs > 0)
                {
                    echo.fault = "deadline passed after " + echo.received + " messages";
                }
            }
            if (echo.fault != null)
            {
                System.err.println("echo child: " + echo.fault);
                return 2;
            }
            return 0;
        }
    }

    private static final class Echo implements MessageHandler
    {
        private final TestMessages messages = new TestMessages();
        private final ChannelProducer producer;
        private final UnsafeBuffer copy = new UnsafeBuffer(new byte[TestMessages.MAX_LENGTH]);
        private long received;
        private String fault;

        Echo(final ChannelProducer producer)
        {
            this.producer = producer;
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final long seq = messages.decode(buffer, index, length);
            if (fault != null || msgTypeId != TestMessages.MSG_TYPE_ID || seq != received)
            {
                fault = fault != null ? fault : "message " + received + " arrived as type " + msgTypeId + " seq " + seq;
                return;
            }
            received++;
            buffer.getBytes(index, copy, 0, length);
            OfferResult result;
            while ((result = producer.offer(msgTypeId, copy, 0, length)) == OfferResult.FULL)
            {
                Thread.yield();
            }
            if (result != OfferResult.ACCEPTED)
            {
                fault = "echo of " + seq + " was " + result;
            }
        }
    }
}
