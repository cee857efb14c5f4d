package org.coopvm.rings.xenstore;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class XenstoreByteRingTest
{
    private final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(XenstoreInterfaceDescriptor.PAYLOAD_LENGTH));

    @Test
    void streamSurvivesIndexWrapAtTwoToThe32()
    {
        page.putInt(XenstoreInterfaceDescriptor.REQ_CONS_OFFSET, -700);
        page.putInt(XenstoreInterfaceDescriptor.REQ_PROD_OFFSET, -700);
        final XenstoreByteRing producer = XenstoreByteRing.requests(page);
        final XenstoreByteRing consumer = XenstoreByteRing.requests(page);
        final Random random = new Random(7);
        final byte[] sent = new byte[20_000];
        random.nextBytes(sent);
        final byte[] got = new byte[sent.length];
        int written = 0;
        int read = 0;
        while (read < sent.length)
        {
            written += producer.write(sent, written, Math.min(sent.length - written, 1 + random.nextInt(900)));
            read += consumer.read(got, read, Math.min(got.length - read, 1 + random.nextInt(900)));
        }
        assertThat(got).isEqualTo(sent);
        assertThat(Integer.toUnsignedLong(page.getInt(XenstoreInterfaceDescriptor.REQ_PROD_OFFSET))).isLessThan(1L << 31);
    }

    @Test
    void fullRingTakesNothingAndBadIndicesAreReported()
    {
        final XenstoreByteRing ring = XenstoreByteRing.responses(page);
        assertThat(ring.write(new byte[2000], 0, 2000)).isEqualTo(XenstoreInterfaceDescriptor.RING_SIZE);
        assertThat(ring.write(new byte[1], 0, 1)).isZero();
        page.putInt(XenstoreInterfaceDescriptor.RSP_CONS_OFFSET, 5000);
        assertThat(ring.write(new byte[1], 0, 1)).isEqualTo(XenstoreByteRing.BAD_INDEX);
        assertThat(ring.read(new byte[1], 0, 1)).isEqualTo(XenstoreByteRing.BAD_INDEX);
    }

    @Test
    void layoutMatchesXensHeader()
    {
        assertThat(XenstoreInterfaceDescriptor.RSP_OFFSET).isEqualTo(XenstoreInterfaceDescriptor.RING_SIZE);
        assertThat(XenstoreInterfaceDescriptor.ERROR_OFFSET + 4).isEqualTo(2076);
        assertThat(XsMessageType.DIRECTORY_PART.code()).isEqualTo(22);
        assertThat(XsMessageType.fromCode(20)).isNull();
        assertThat(XsErrno.fromName("EAGAIN")).isEqualTo(XsErrno.EAGAIN);
        assertThat(XsErrno.fromName("bogus")).isEqualTo(XsErrno.EIO);
    }
}
