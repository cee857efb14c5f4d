package org.coopvm.rings.xen;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.netif.NetifRing;
import org.coopvm.rings.netif.NetifRxRequestDescriptor;
import org.coopvm.rings.netif.NetifRxResponseDescriptor;
import org.coopvm.rings.netif.NetifSlots;
import org.coopvm.rings.netif.NetifTxRequest;
import org.coopvm.rings.netif.NetifTxRequestDescriptor;
import org.coopvm.rings.netif.NetifTxResponseDescriptor;
import org.coopvm.rings.region.RegionHeaderDescriptor;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.CPrograms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Byte compatibility with Xen's {@code io/netif.h}: offsets, sizes, flags, status codes and ring
 * sizes as gcc computes them equal the {@code org.coopvm.rings.netif} descriptors; and tx and rx
 * rings a C frontend (Xen's own macros) initialised and filled are read field by field by the Java
 * backend half. Skipped when gcc or the Xen headers are missing (CI installs libxen-dev).
 */
class NetifCInteropTest
{
    private static final Path NETIF_H = Path.of("/usr/include/xen/io/netif.h");
    private static final int REQUESTS = 200;

    @TempDir
    static Path dir;
    private static Path peer;

    @BeforeAll
    static void compilePeer() throws Exception
    {
        assumeTrue(Files.exists(NETIF_H), "Xen headers missing (" + NETIF_H + "): apt-get install libxen-dev");
        assumeTrue(CPrograms.gccAvailable(), "gcc not found on PATH");
        final Path source = dir.resolve("netif_peer.c");
        try (InputStream in = NetifCInteropTest.class.getResourceAsStream("netif_peer.c"))
        {
            Files.copy(in, source);
        }
        peer = dir.resolve("netif_peer");
        final Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-Werror",
            "-D__XEN_INTERFACE_VERSION__=0x00040e00", "-o", peer.toString(), source.toString())
            .redirectErrorStream(true).start();
        final String output = CPrograms.finish(gcc);
        assertThat(gcc.exitValue()).as("gcc: %s", output).isZero();
    }

    @Test
    void javaLayoutConstantsMatchTheCompiledCStructs() throws Exception
    {
        final Process process = new ProcessBuilder(peer.toString(), "layout").start();
        final List<String> lines = CPrograms.finish(process).lines().toList();
        assertThat(process.exitValue()).isZero();
        assertThat(lines).containsExactly(
            "tx_request %d %d %d %d %d %d".formatted(NetifTxRequestDescriptor.GREF_OFFSET, NetifTxRequestDescriptor.OFFSET_OFFSET,
                NetifTxRequestDescriptor.FLAGS_OFFSET, NetifTxRequestDescriptor.ID_OFFSET, NetifTxRequestDescriptor.SIZE_OFFSET,
                NetifTxRequestDescriptor.REQUEST_LENGTH),
            "tx_response %d %d %d".formatted(NetifTxResponseDescriptor.ID_OFFSET, NetifTxResponseDescriptor.STATUS_OFFSET,
                NetifTxResponseDescriptor.RESPONSE_LENGTH),
            "rx_request %d %d %d".formatted(NetifRxRequestDescriptor.ID_OFFSET, NetifRxRequestDescriptor.GREF_OFFSET,
                NetifRxRequestDescriptor.REQUEST_LENGTH),
            "rx_response %d %d %d %d %d".formatted(NetifRxResponseDescriptor.ID_OFFSET, NetifRxResponseDescriptor.OFFSET_OFFSET,
                NetifRxResponseDescriptor.FLAGS_OFFSET, NetifRxResponseDescriptor.STATUS_OFFSET,
                NetifRxResponseDescriptor.RESPONSE_LENGTH),
            "slots %d %d entries %d %d".formatted(NetifRing.TX_SLOT_LENGTH, NetifRing.RX_SLOT_LENGTH, NetifRing.TX_ENTRIES,
                NetifRing.RX_ENTRIES),
            "txflags %d %d %d %d".formatted(NetifTxRequestDescriptor.FLAG_CSUM_BLANK, NetifTxRequestDescriptor.FLAG_DATA_VALIDATED,
                NetifTxRequestDescriptor.FLAG_MORE_DATA, NetifTxRequestDescriptor.FLAG_EXTRA_INFO),
            "rxflags %d %d %d %d %d".formatted(NetifRxResponseDescriptor.FLAG_DATA_VALIDATED,
                NetifRxResponseDescriptor.FLAG_CSUM_BLANK, NetifRxResponseDescriptor.FLAG_MORE_DATA,
                NetifRxResponseDescriptor.FLAG_EXTRA_INFO, NetifRxResponseDescriptor.FLAG_GSO_PREFIX),
            "status %d %d %d %d".formatted(NetifTxResponseDescriptor.STATUS_DROPPED, NetifTxResponseDescriptor.STATUS_ERROR,
                NetifTxResponseDescriptor.STATUS_OKAY, NetifTxResponseDescriptor.STATUS_NULL));
    }

    @Test
    void javaBackendReadsRingsACFrontendFilled() throws Exception
    {
        final int bytes = 2 * NetifRing.RING_BYTES;
        try (SharedRegion region = SharedRegion.createFile(dir.resolve("netif.region"), RegionType.XEN_RING, 0, bytes))
        {
            final Process process = new ProcessBuilder(peer.toString(), "front", region.path().orElseThrow().toString(),
                String.valueOf(RegionHeaderDescriptor.PAYLOAD_OFFSET), String.valueOf(REQUESTS)).start();
            assertThat(CPrograms.finish(process).strip()).as("C frontend pushed, backend asleep so notified").isEqualTo("pushed %d 256 256 notify 1 1".formatted(REQUESTS));
            assertThat(process.exitValue()).isZero();
            final BackRing tx = BackRing.attach(region.payloadBuffer(), 0, NetifRing.RING_BYTES, NetifRing.TX_SLOT_LENGTH);
            final BackRing rx = BackRing.attach(region.payloadBuffer(), NetifRing.RING_BYTES, NetifRing.RING_BYTES,
                NetifRing.RX_SLOT_LENGTH);
            assertThat(tx.unconsumedRequests()).isEqualTo(REQUESTS);
            assertThat(rx.unconsumedRequests()).isEqualTo(REQUESTS);
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[NetifRing.TX_SLOT_LENGTH]);
            final NetifTxRequest request = new NetifTxRequest().wrap(copy, 0);
            for (int i = 0; i < REQUESTS; i++)
            {
                assertThat(tx.copyRequest(copy, 0)).isTrue();
                assertThat(List.of(request.gref(), request.pageOffset(), request.flags(), request.id(), request.size()))
                    .as("tx request %d", i).containsExactly(1000 + i * 3, i * 16 % 2048,
                        i % 2 == 1 ? NetifTxRequestDescriptor.FLAG_DATA_VALIDATED : NetifTxRequestDescriptor.FLAG_CSUM_BLANK,
                        i + 7, 60 + i * 5);
                assertThat(rx.copyRequest(copy, 0)).isTrue();
                assertThat(NetifSlots.rxRequestId(copy, 0)).as("rx id %d", i).isEqualTo(i ^ 0x55);
                assertThat(NetifSlots.rxRequestGref(copy, 0)).as("rx gref %d", i).isEqualTo(5000 + i);
            }
            assertThat(tx.fault()).isEqualTo(RingFault.NONE);
        }
    }
}
