package org.coopvm.rings.console;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleRingTest
{
    @Test
    void layoutIsXensXenconsInterface()
    {
        assertThat(ConsoleRingDescriptor.IN_OFFSET).isZero();
        assertThat(ConsoleRingDescriptor.OUT_OFFSET).isEqualTo(1024);
        assertThat(ConsoleRingDescriptor.IN_CONS_OFFSET).isEqualTo(3072);
        assertThat(ConsoleRingDescriptor.IN_PROD_OFFSET).isEqualTo(3076);
        assertThat(ConsoleRingDescriptor.OUT_CONS_OFFSET).isEqualTo(3080);
        assertThat(ConsoleRingDescriptor.OUT_PROD_OFFSET).isEqualTo(3084);
        assertThat(ConsoleRingDescriptor.INTERFACE_LENGTH).isEqualTo(3088);
    }

    @ParameterizedTest(name = "start {0}")
    @ValueSource(ints = {0, 0xFFFF_FFF0, 0xFFFF_FC00, 0x7FFF_FFF0, 5})
    void bytesArriveInOrderAcrossTheDataEndAndTheU32Wrap(final int start)
    {
        for (final ConsoleRingHalf half : ConsoleRingHalf.values())
        {
            final UnsafeBuffer page = page(half, start, start);
            final ConsoleRingWriter writer = new ConsoleRingWriter().wrap(page, half);
            final ConsoleRingReader reader = new ConsoleRingReader().wrap(page, half);
            final ByteArrayOutputStream received = new ByteArrayOutputStream();
            final byte[] sent = pattern(10 * half.size() + 17);
            int offset = 0;
            final byte[] chunk = new byte[700];
            while (received.size() < sent.length)
            {
                offset += writer.write(sent, offset, Math.min(333, sent.length - offset));
                final int read = reader.read(chunk, 0, chunk.length);
                assertThat(read).isNotNegative();
                received.write(chunk, 0, read);
            }
            assertThat(received.toByteArray()).isEqualTo(sent);
            assertThat(page.getInt(half.prodOffset())).isEqualTo(start + sent.length);
            assertThat(page.getInt(half.consOffset())).isEqualTo(start + sent.length);
            assertThat(writer.corruptions() + reader.corruptions()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(ConsoleRingHalf.class)
    void aFullRingTakesOnlyWhatFitsAndRefusesMoreUntilRead(final ConsoleRingHalf half)
    {
        final UnsafeBuffer page = page(half, 0xFFFF_FFFE, 0xFFFF_FFFE);
        final ConsoleRingWriter writer = new ConsoleRingWriter().wrap(page, half);
        final ConsoleRingReader reader = new ConsoleRingReader().wrap(page, half);
        final byte[] bytes = pattern(half.size() + 100);

        assertThat(writer.write(bytes, 0, bytes.length)).isEqualTo(half.size());
        assertThat(writer.free()).isZero();
        assertThat(writer.write(bytes, 0, 1)).isZero();
        assertThat(writer.isDrained()).isFalse();

        final byte[] out = new byte[10];
        assertThat(reader.read(out, 0, 10)).isEqualTo(10);
        assertThat(writer.free()).isEqualTo(10);
        assertThat(writer.write(bytes, half.size(), 100)).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(ConsoleRingHalf.class)
    void aProducerIndexBeyondTheRingIsCountedSkippedAndNeverReadOutOfBounds(final ConsoleRingHalf half)
    {
        for (final int hostileProd : List.of(half.size() + 1, -1, Integer.MIN_VALUE, 0x10000))
        {
            final UnsafeBuffer page = page(half, 0, 0);
            final ConsoleRingReader reader = new ConsoleRingReader().wrap(page, half);
            page.putInt(half.prodOffset(), hostileProd);

            assertThat(reader.read(new byte[8192], 0, 8192)).isEqualTo(ConsoleRingReader.CORRUPT);
            assertThat(reader.corruptions()).isOne();
            assertThat(page.getInt(half.consOffset())).as("skipped to the producer").isEqualTo(hostileProd);
            assertThat(reader.read(new byte[8], 0, 8)).as("then empty, not stuck").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(ConsoleRingHalf.class)
    void aConsumerIndexAheadOfTheProducerIsCountedAndTheRingRestarts(final ConsoleRingHalf half)
    {
        final UnsafeBuffer page = page(half, 100, 100);
        final ConsoleRingWriter writer = new ConsoleRingWriter().wrap(page, half);
        page.putInt(half.consOffset(), 5000);

        assertThat(writer.write(new byte[4], 0, 4)).isEqualTo(ConsoleRingWriter.CORRUPT);
        assertThat(writer.corruptions()).isOne();
        assertThat(writer.write(new byte[4], 0, 4)).as("restarted at the consumer's index").isEqualTo(4);
        assertThat(page.getInt(half.prodOffset())).isEqualTo(5004);
    }

    @Property(tries = 200)
    void anyChunkingDeliversEveryByteInOrder(
        @ForAll @Size(min = 1, max = 40) final List<@IntRange(min = 1, max = 3000) Integer> writes,
        @ForAll @IntRange(min = 1, max = 3000) final int readChunk,
        @ForAll final int start)
    {
        final ConsoleRingHalf half = ConsoleRingHalf.OUT;
        final UnsafeBuffer page = page(half, start, start);
        final ConsoleRingWriter writer = new ConsoleRingWriter().wrap(page, half);
        final ConsoleRingReader reader = new ConsoleRingReader().wrap(page, half);
        final int total = writes.stream().mapToInt(Integer::intValue).sum();
        final byte[] sent = pattern(total);
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final byte[] chunk = new byte[readChunk];
        int offset = 0;
        for (final int length : writes)
        {
            int left = length;
            while (left > 0)
            {
                final int written = writer.write(sent, offset, left);
                offset += written;
                left -= written;
                final int read = reader.read(chunk, 0, chunk.length);
                received.write(chunk, 0, read);
            }
        }
        int read;
        while ((read = reader.read(chunk, 0, chunk.length)) > 0)
        {
            received.write(chunk, 0, read);
        }
        assertThat(received.toByteArray()).isEqualTo(sent);
    }

    @Property(tries = 300)
    void arbitraryPeerIndicesNeverThrowNorOverrunTheRing(
        @ForAll final int cons, @ForAll final int prod, @ForAll final int privateStart)
    {
        for (final ConsoleRingHalf half : ConsoleRingHalf.values())
        {
            final UnsafeBuffer page = page(half, privateStart, privateStart);
            final ConsoleRingReader reader = new ConsoleRingReader().wrap(page, half);
            final ConsoleRingWriter writer = new ConsoleRingWriter().wrap(page, half);
            page.putInt(half.prodOffset(), prod);
            final int read = reader.read(new byte[8192], 0, 8192);
            assertThat(read).isBetween(ConsoleRingReader.CORRUPT, half.size());
            page.putInt(half.consOffset(), cons);
            final int written = writer.write(new byte[8192], 0, 8192);
            assertThat(written).isBetween(ConsoleRingWriter.CORRUPT, half.size());
        }
    }

    static UnsafeBuffer page(final ConsoleRingHalf half, final int cons, final int prod)
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
        page.putInt(half.consOffset(), cons);
        page.putInt(half.prodOffset(), prod);
        return page;
    }

    static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }
        return bytes;
    }
}
