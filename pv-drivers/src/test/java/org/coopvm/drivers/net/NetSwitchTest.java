package org.coopvm.drivers.net;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.netif.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The switch floods what it cannot place, learns sources, and then sends unicast to one port only. */
class NetSwitchTest
{
    private static final MacAddress A = MacAddress.parse("00:16:3e:00:00:01");
    private static final MacAddress B = MacAddress.parse("00:16:3e:00:00:02");

    @Test
    void floodsBroadcastAndUnknownThenForwardsLearnedUnicastToOnePort()
    {
        final NetSwitch netSwitch = new NetSwitch();
        final List<List<Integer>> got = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int port = 0; port < 3; port++)
        {
            final int id = port;
            netSwitch.attach(id, (header, frame, offset, length) -> got.get(id).add(frame.getInt(offset + 14)));
        }
        assertThat(netSwitch.forward(0, frame(MacAddress.BROADCAST, A, 1), 0, 60)).isEqualTo(2);
        assertThat(netSwitch.forward(0, frame(B, A, 2), 0, 60)).as("B unknown: flooded").isEqualTo(2);
        assertThat(netSwitch.forward(1, frame(A, B, 3), 0, 60)).as("A learned on port 0").isEqualTo(1);
        assertThat(netSwitch.forward(0, frame(B, A, 4), 0, 60)).as("B learned on port 1").isEqualTo(1);
        assertThat(got.get(0)).containsExactly(3);
        assertThat(got.get(1)).containsExactly(1, 2, 4);
        assertThat(got.get(2)).containsExactly(1, 2);
        netSwitch.detach(1);
        assertThat(netSwitch.portOf(B)).as("forgotten with its port").isEqualTo(-1);
    }

    @Test
    void aFrameIsAddressedAsItWasSwitchedEvenWhenTheSenderRewritesItsPageMeanwhileAndEachPortIsFlushedOncePerBatch()
    {
        final NetSwitch netSwitch = new NetSwitch();
        final UnsafeBuffer page = frame(MacAddress.BROADCAST, A, 7);
        final List<Long> destinations = new ArrayList<>();
        final int[] flushes = new int[3];
        for (int port = 0; port < 3; port++)
        {
            final int id = port;
            netSwitch.attach(id, new SwitchPort()
            {
                @Override
                public boolean deliver(final DirectBuffer header, final DirectBuffer frame, final int offset, final int length)
                {
                    destinations.add(destination(header));
                    page.putLong(0, 0); // the sending guest rewrites its page while dom0 copies it
                    return true;
                }

                @Override
                public void flush()
                {
                    flushes[id]++;
                }
            });
        }
        final DeliveryBatch batch = new DeliveryBatch();

        assertThat(netSwitch.forward(0, page, 0, 60, batch)).isEqualTo(2);
        assertThat(netSwitch.forward(0, frame(MacAddress.BROADCAST, A, 8), 0, 60, batch)).isEqualTo(2);
        assertThat(flushes).as("nothing visible before the batch ends").containsExactly(0, 0, 0);
        assertThat(batch.flush()).isEqualTo(2);

        assertThat(destinations).as("both ports got the broadcast header the switch read").hasSize(4)
            .allSatisfy(destination -> assertThat(destination).isEqualTo(0xFFFF_FFFF_FFFFL));
        assertThat(flushes).as("once per port per batch, never the sender's").containsExactly(0, 1, 1);
    }

    @Test
    void aSendersRememberedRouteFollowsAMacThatMovesAndAPortThatGoes()
    {
        final NetSwitch netSwitch = new NetSwitch();
        final List<List<Integer>> got = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int port = 0; port < 4; port++)
        {
            final int id = port;
            netSwitch.attach(id, (header, frame, offset, length) -> got.get(id).add(frame.getInt(offset + 14)));
        }
        final DeliveryBatch fromA = new DeliveryBatch();
        netSwitch.forward(1, frame(A, B, 0), 0, 60);

        netSwitch.forward(0, frame(B, A, 1), 0, 60, fromA);
        netSwitch.forward(0, frame(B, A, 2), 0, 60, fromA);
        netSwitch.forward(2, frame(A, B, 3), 0, 60); // B moved to port 2
        netSwitch.forward(0, frame(B, A, 4), 0, 60, fromA);
        netSwitch.detach(2);
        netSwitch.forward(0, frame(B, A, 5), 0, 60, fromA);

        assertThat(got.get(1)).as("B's first port").containsExactly(1, 2, 5);
        assertThat(got.get(2)).as("where B moved").containsExactly(0, 4);
        assertThat(got.get(3)).as("B unknown again once its port went: flooded").containsExactly(0, 5);
    }

    private static long destination(final DirectBuffer header)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = mac << 8 | header.getByte(i) & 0xFF;
        }
        return mac;
    }

    private static UnsafeBuffer frame(final MacAddress to, final MacAddress from, final int tag)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[60]);
        for (int i = 0; i < 6; i++)
        {
            frame.putByte(i, (byte)(to.value() >>> (40 - 8 * i)));
            frame.putByte(6 + i, (byte)(from.value() >>> (40 - 8 * i)));
        }
        frame.putInt(14, tag);
        return frame;
    }
}
