package org.coopvm.hypervisor.xenstore.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.hypervisor.xenstore.XenstoreConfig;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.rings.xenstore.XenstoreByteRing;
import org.coopvm.rings.xenstore.XenstoreInterfaceDescriptor;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageAssembler;
import org.coopvm.rings.xenstore.XsMessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XenstoreRingConnectionTest
{
    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);

    /** The guest's half, done by hand. */
    private final class Guest
    {
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(XenstoreInterfaceDescriptor.PAYLOAD_LENGTH));
        final XenstoreByteRing requests = XenstoreByteRing.requests(page);
        final XenstoreByteRing responses = XenstoreByteRing.responses(page);
        final XsMessageAssembler assembler = new XsMessageAssembler();
        final List<XsMessage> received = new ArrayList<>();
        final AtomicInteger notified = new AtomicInteger();
        final XenstoreRingConnection connection;

        Guest(final int domid)
        {
            connection = new XenstoreRingConnection(xenstored, domid, page, notified::incrementAndGet, () -> { });
        }

        XsMessage call(final XsMessage message)
        {
            final byte[] bytes = message.encode();
            int sent = 0;
            for (int round = 0; round < 1000 && received.isEmpty(); round++)
            {
                sent += requests.write(bytes, sent, bytes.length - sent);
                connection.service();
                drain();
            }
            assertThat(received).as("reply").isNotEmpty();
            return received.removeFirst();
        }

        void drain()
        {
            final byte[] chunk = new byte[XenstoreInterfaceDescriptor.RING_SIZE];
            int count;
            while ((count = responses.read(chunk, 0, chunk.length)) > 0)
            {
                assembler.feed(chunk, 0, count, received::add);
            }
        }

        int error()
        {
            return page.getIntVolatile(XenstoreInterfaceDescriptor.ERROR_OFFSET);
        }
    }

    @Test
    void servesRequestsLargerThanTheRing()
    {
        final Guest guest = new Guest(0);
        final String value = "v".repeat(3000);
        assertThat(guest.call(XsMessage.write(0, "/big", value.getBytes())).text()).isEqualTo("OK");
        assertThat(guest.call(XsMessage.ofStrings(XsMessageType.READ, 2, 0, "/big")).text()).isEqualTo(value);
        assertThat(guest.notified.get()).isPositive();
        assertThat(guest.page.getInt(XenstoreInterfaceDescriptor.SERVER_FEATURES_OFFSET))
            .isEqualTo(XenstoreInterfaceDescriptor.FEATURE_ERROR);
    }

    @Test
    void badIndexSetsTheErrorAndStopsOnlyThatRing()
    {
        final Guest bad = new Guest(0);
        bad.page.putInt(XenstoreInterfaceDescriptor.REQ_PROD_OFFSET, 5000);
        bad.connection.service();
        assertThat(bad.error()).isEqualTo(XenstoreInterfaceDescriptor.ERROR_RINGIDX);
        assertThat(bad.connection.broken()).isTrue();
        final Guest good = new Guest(0);
        assertThat(good.call(XsMessage.ofStrings(XsMessageType.GET_DOMAIN_PATH, 1, 0, "4")).text()).isEqualTo("/local/domain/4");
    }

    @Test
    void oversizedHeaderIsAProtocolError()
    {
        final Guest bad = new Guest(0);
        final ByteBuffer header = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        header.putInt(XsMessageType.READ.code()).putInt(1).putInt(0).putInt(5000);
        bad.requests.write(header.array(), 0, 16);
        bad.connection.service();
        assertThat(bad.error()).isEqualTo(XenstoreInterfaceDescriptor.ERROR_PROTO);
    }

    @Test
    void aGuestThatNeverReadsRepliesStallsOnlyItself()
    {
        final Guest flooder = new Guest(0);
        xenstored.write("/big", new byte[4000]);
        final byte[] read = XsMessage.ofStrings(XsMessageType.READ, 1, 0, "/big").encode();
        for (int i = 0; i < 2000; i++)
        {
            if (XenstoreInterfaceDescriptor.RING_SIZE - flooder.requests.available() >= read.length)
            {
                flooder.requests.write(read, 0, read.length);
            }
            flooder.connection.service();
        }
        final Guest good = new Guest(0);
        assertThat(good.call(XsMessage.ofStrings(XsMessageType.READ, 1, 0, "/big")).payload()).hasSize(4000);
        assertThat(flooder.connection.broken()).isFalse();
    }

    @Test
    void randomBytesAndIndicesNeverStopXenstored()
    {
        final Random random = new Random(42);
        for (int round = 0; round < 300; round++)
        {
            final Guest fuzzer = new Guest(1 + random.nextInt(5));
            for (int burst = 0; burst < 5; burst++)
            {
                final byte[] bytes = XenstoreSocketServerTest.fuzzBytes(random);
                fuzzer.requests.write(bytes, 0, bytes.length);
                if (random.nextInt(10) == 0)
                {
                    fuzzer.page.putInt(random.nextBoolean() ? XenstoreInterfaceDescriptor.REQ_PROD_OFFSET
                        : XenstoreInterfaceDescriptor.RSP_CONS_OFFSET, random.nextInt());
                }
                fuzzer.connection.service();
                fuzzer.drain();
            }
            fuzzer.connection.close();
        }
        final Guest good = new Guest(0);
        assertThat(good.call(XsMessage.ofStrings(XsMessageType.MKDIR, 1, 0, "/after-fuzz")).text()).isEqualTo("OK");
        assertThat(xenstored.internalErrors()).isZero();
    }
}
