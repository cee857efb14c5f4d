package org.coopvm.examples.workload;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.net.NetFrontend;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.netif.MacAddress;

import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The frames {@code net-pingpong} and {@code net-stream} exchange: Ethernet II with the local
 * experimental ethertype {@code 0x88b5}, then a one-byte kind, then a little-endian long (a
 * sequence number or a timestamp), then padding to the frame's length.
 *
 * <pre>
 *  0      6      12   14     15          23
 *  | dst  | src  |type| kind | value     | padding ... |
 * </pre>
 *
 * <p>Thread safety: static helpers; a buffer belongs to its caller.
 */
final class NetFrames
{
    /** Local experimental ethertype (IEEE 802). */
    static final int ETHERTYPE = 0x88b5;
    /** Ethernet header bytes (addresses and ethertype): a frame's payload is the rest. */
    static final int HEADER = 14;
    /** Where the kind byte is. */
    static final int KIND_OFFSET = 14;
    /** Where the value is. */
    static final int VALUE_OFFSET = 15;
    /** Shortest frame the workloads send (Ethernet's minimum without the FCS). */
    static final int MIN_FRAME = 60;
    /** Largest frame: a 1500-byte payload and the header. */
    static final int MAX_FRAME = 1514;

    static final byte HELLO = 1;
    static final byte PING = 2;
    static final byte PONG = 3;
    static final byte DATA = 4;
    static final byte BYE = 5;
    /** The receiver's acknowledgement: the value is one past the highest data sequence number it has seen. */
    static final byte ACK = 6;

    private NetFrames()
    {
    }

    /** @return a frame buffer of {@link #MAX_FRAME} bytes. */
    static UnsafeBuffer buffer()
    {
        return new UnsafeBuffer(new byte[MAX_FRAME]);
    }

    /** Write the header, kind and value of a frame into {@code frame}. */
    static void put(final UnsafeBuffer frame, final MacAddress to, final MacAddress from, final byte kind, final long value)
    {
        putMac(frame, 0, to);
        putMac(frame, 6, from);
        frame.putShort(12, (short)ETHERTYPE, ByteOrder.BIG_ENDIAN);
        frame.putByte(KIND_OFFSET, kind);
        frame.putLong(VALUE_OFFSET, value, ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the frame's kind, 0 when it is not one of ours. */
    static byte kind(final DirectBuffer frame, final int offset, final int length)
    {
        return length < VALUE_OFFSET + 8 || (frame.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) != ETHERTYPE ? 0 :
            frame.getByte(offset + KIND_OFFSET);
    }

    /** @return the frame's value. */
    static long value(final DirectBuffer frame, final int offset)
    {
        return frame.getLong(offset + VALUE_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param payloadBytes bytes moved.
     * @param ns           in how long.
     * @return the rate in Gbit/s, three decimals; 0 for no time.
     */
    static double gbits(final long payloadBytes, final long ns)
    {
        return ns <= 0 ? 0 : Math.round(payloadBytes * 8.0 / ns * 1000) / 1000.0;
    }

    /** @return the frame's source address. */
    static MacAddress source(final DirectBuffer frame, final int offset)
    {
        long value = 0;
        for (int i = 0; i < 6; i++)
        {
            value = value << 8 | frame.getByte(offset + 6 + i) & 0xFF;
        }
        return new MacAddress(value);
    }

    /**
     * @param ctx the guest's services.
     * @param vif a frontend.
     * @return its data-path counters as figures to publish: {@code vif-events} (the backend's
     *         events handled), {@code vif-received}, {@code vif-notifications} (to the backend),
     *         {@code vif-tx-full} (sends refused: every tx buffer in flight), and vCPU 0's runstate
     *         ({@code vcpu-running-ms}, {@code vcpu-runnable-ms}: waiting for a CPU slot,
     *         {@code vcpu-blocked-ms}) when the host keeps one.
     */
    static Map<String, String> vifFigures(final GuestContext ctx, final NetFrontend vif)
    {
        final Map<String, String> figures = new LinkedHashMap<>();
        ctx.runstate(0).ifPresent(state ->
        {
            figures.put("vcpu-running-ms", Long.toString(state.runningNs() / 1_000_000));
            figures.put("vcpu-runnable-ms", Long.toString(state.runnableNs() / 1_000_000));
            figures.put("vcpu-blocked-ms", Long.toString(state.blockedNs() / 1_000_000));
        });
        figures.put("vif-events", Long.toString(vif.events()));
        figures.put("vif-received", Long.toString(vif.received()));
        figures.put("vif-notifications", Long.toString(vif.notifications()));
        figures.put("vif-tx-full", Long.toString(vif.txRingFull()));
        return figures;
    }

    /** @return the guest's first vif once it is connected. */
    static Optional<NetFrontend> connectedVif(final GuestContext ctx)
    {
        return ctx.netDevices().stream().findFirst().filter(NetFrontend::isConnected);
    }

    private static void putMac(final UnsafeBuffer frame, final int at, final MacAddress mac)
    {
        for (int i = 0; i < 6; i++)
        {
            frame.putByte(at + i, (byte)(mac.value() >>> (40 - 8 * i)));
        }
    }
}
