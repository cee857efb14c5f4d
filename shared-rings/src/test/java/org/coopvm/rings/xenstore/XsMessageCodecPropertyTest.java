package org.coopvm.rings.xenstore;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class XsMessageCodecPropertyTest
{
    @Provide
    Arbitrary<XsMessage> messages()
    {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(XsHeaderDescriptor.PAYLOAD_MAX)).as(XsMessage::new);
    }

    @Property(tries = 200)
    void anyChunkingOfEncodedMessagesGivesThemBackInOrder(@ForAll @Size(max = 8) final List<@From("messages") XsMessage> messages,
                                                          @ForAll @IntRange(min = 1, max = 5000) final int chunk)
    {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        messages.forEach(message -> stream.writeBytes(message.encode()));
        final byte[] bytes = stream.toByteArray();
        final XsMessageAssembler assembler = new XsMessageAssembler();
        final List<XsMessage> decoded = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += chunk)
        {
            assertThat(assembler.feed(bytes, offset, Math.min(chunk, bytes.length - offset), decoded::add)).isTrue();
        }
        assertThat(decoded).isEqualTo(messages);
        assertThat(assembler.idle()).isTrue();
    }

    @Property(tries = 100)
    void headerFieldsAreLittleEndianAtTheirOffsets(@ForAll("messages") final XsMessage message)
    {
        final ByteBuffer wire = ByteBuffer.wrap(message.encode()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(wire.getInt(XsHeaderDescriptor.TYPE_OFFSET)).isEqualTo(message.type());
        assertThat(wire.getInt(XsHeaderDescriptor.REQ_ID_OFFSET)).isEqualTo(message.reqId());
        assertThat(wire.getInt(XsHeaderDescriptor.TX_ID_OFFSET)).isEqualTo(message.txId());
        assertThat(wire.getInt(XsHeaderDescriptor.LEN_OFFSET)).isEqualTo(message.payload().length);
    }

    @Property(tries = 100)
    void oversizedOrNegativeLengthBreaksTheStream(@ForAll @IntRange(min = XsHeaderDescriptor.PAYLOAD_MAX + 1) final int length,
                                                  @ForAll final boolean negative)
    {
        final ByteBuffer header = ByteBuffer.allocate(XsHeaderDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(XsHeaderDescriptor.LEN_OFFSET, negative ? -length : length);
        final XsMessageAssembler assembler = new XsMessageAssembler();
        final List<XsMessage> decoded = new ArrayList<>();
        assertThat(assembler.feed(header.array(), 0, XsHeaderDescriptor.HEADER_LENGTH, decoded::add)).isFalse();
        assertThat(assembler.broken()).isTrue();
        assertThat(assembler.feed(new byte[100], 0, 100, decoded::add)).isFalse();
        assertThat(decoded).isEmpty();
    }

    @Property(tries = 100)
    void stringsRoundTrip(@ForAll @Size(max = 5) final List<@net.jqwik.api.constraints.AlphaChars String> strings)
    {
        final XsMessage message = XsMessage.ofStrings(XsMessageType.DIRECTORY, 1, 0, strings.toArray(String[]::new));
        assertThat(message.strings()).isEqualTo(strings);
        assertThat(message.knownType()).isEqualTo(XsMessageType.DIRECTORY);
    }
}
