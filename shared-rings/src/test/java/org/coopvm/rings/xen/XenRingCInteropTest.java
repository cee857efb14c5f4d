package org.coopvm.rings.xen;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.BlkifRequestDescriptor;
import org.coopvm.rings.blkif.BlkifResponseDescriptor;
import org.coopvm.rings.blkif.BlkifRing;
import org.coopvm.rings.blkif.BlkifSegmentDescriptor;
import org.coopvm.rings.region.RegionHeaderDescriptor;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.CPrograms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte compatibility with Xen's C macros and structs: the blkif layouts (offsets and sizes of
 * request, segment, discard request and response, the constants, ring entries for page orders
 * 0..4) as gcc computes them from {@code io/blkif.h} equal the {@code org.coopvm.rings.blkif}
 * descriptors; and a blkif peer compiled against
 * {@code /usr/include/xen/io/ring.h} and {@code io/blkif.h} shares a region file with Java,
 * once as frontend (Java backend) and once as backend (Java frontend). The C side checks every
 * field and the order of what Java wrote and exits non-zero otherwise; Java checks the same of
 * what C wrote. Skipped when gcc or the Xen headers are missing (CI installs libxen-dev).
 */
class XenRingCInteropTest
{
    private static final Path RING_H = Path.of("/usr/include/xen/io/ring.h");
    private static final int RING_BYTES = 4096;
    private static final int REQUESTS = 1000;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    static Path dir;
    private static Path peer;

    @BeforeAll
    static void compilePeer() throws Exception
    {
        peer = CPrograms.compilePeer(XenRingCInteropTest.class, "blkif_peer.c", RING_H, dir, "-D__XEN_INTERFACE_VERSION__=0x00040e00");
    }

    @Test
    void javaLayoutConstantsMatchTheCompiledCStructs() throws Exception
    {
        final Process process = new ProcessBuilder(peer.toString(), "layout").start();
        final List<String> lines = CPrograms.finish(process).lines().toList();
        assertThat(process.exitValue()).isZero();
        assertThat(lines.get(0)).isEqualTo("sring %d %d %d %d %d %d %d".formatted(
            XenRingDescriptor.REQ_PROD_OFFSET, XenRingDescriptor.REQ_EVENT_OFFSET, XenRingDescriptor.RSP_PROD_OFFSET,
            XenRingDescriptor.RSP_EVENT_OFFSET, XenRingDescriptor.PRIVATE_OFFSET, XenRingDescriptor.PAD_OFFSET,
            XenRingDescriptor.ENTRIES_OFFSET));
        assertThat(lines.get(1)).isEqualTo("slot %d entries %d".formatted(
            BlkifTestMessages.SLOT_LENGTH, XenRingDescriptor.entries(RING_BYTES, BlkifTestMessages.SLOT_LENGTH)));
        assertThat(lines.get(2)).isEqualTo("request %d %d %d %d %d %d %d %d %d".formatted(
            BlkifRequestDescriptor.OPERATION_OFFSET, BlkifRequestDescriptor.NR_SEGMENTS_OFFSET,
            BlkifRequestDescriptor.HANDLE_OFFSET, BlkifRequestDescriptor.ID_OFFSET, BlkifRequestDescriptor.SECTOR_NUMBER_OFFSET,
            BlkifRequestDescriptor.SEGMENTS_OFFSET, BlkifSegmentDescriptor.SEGMENT_LENGTH, BlkifSegmentDescriptor.FIRST_SECT_OFFSET,
            BlkifSegmentDescriptor.LAST_SECT_OFFSET));
        assertThat(lines.get(3)).isEqualTo("response %d %d %d %d".formatted(
            BlkifResponseDescriptor.ID_OFFSET, BlkifResponseDescriptor.OPERATION_OFFSET, BlkifResponseDescriptor.STATUS_OFFSET,
            BlkifResponseDescriptor.RESPONSE_LENGTH));
        assertThat(lines.get(4)).as("sizeof request, segment, response, discard").isEqualTo("sizes %d %d %d %d".formatted(
            BlkifRequestDescriptor.REQUEST_LENGTH, BlkifSegmentDescriptor.SEGMENT_LENGTH, BlkifResponseDescriptor.RESPONSE_LENGTH,
            BlkifRequestDescriptor.DISCARD_NR_SECTORS_OFFSET + 8));
        assertThat(lines.get(5)).isEqualTo("discard %d %d %d %d %d %d".formatted(
            BlkifRequestDescriptor.OPERATION_OFFSET, BlkifRequestDescriptor.DISCARD_FLAG_OFFSET, BlkifRequestDescriptor.HANDLE_OFFSET,
            BlkifRequestDescriptor.ID_OFFSET, BlkifRequestDescriptor.SECTOR_NUMBER_OFFSET,
            BlkifRequestDescriptor.DISCARD_NR_SECTORS_OFFSET));
        assertThat(lines.get(6)).isEqualTo("segment %d %d %d".formatted(BlkifSegmentDescriptor.GREF_OFFSET,
            BlkifSegmentDescriptor.FIRST_SECT_OFFSET, BlkifSegmentDescriptor.LAST_SECT_OFFSET));
        assertThat(lines.get(7)).isEqualTo("constants %d %d %d %d %d %d %d %d %d %d %d %d".formatted(
            BlkifRequestDescriptor.MAX_SEGMENTS, BlkifRequestDescriptor.OP_READ, BlkifRequestDescriptor.OP_WRITE,
            BlkifRequestDescriptor.OP_WRITE_BARRIER, BlkifRequestDescriptor.OP_FLUSH_DISKCACHE, BlkifRequestDescriptor.OP_DISCARD,
            BlkifRequestDescriptor.OP_INDIRECT, BlkifResponseDescriptor.STATUS_OKAY, BlkifResponseDescriptor.STATUS_ERROR,
            BlkifResponseDescriptor.STATUS_EOPNOTSUPP, BlkifDevice.VDISK_READONLY, BlkifRequestDescriptor.DISCARD_SECURE));
        assertThat(lines.get(8)).as("entries for ring-page-order 0..4").isEqualTo("entries %d %d %d %d %d".formatted(
            BlkifRing.entries(0), BlkifRing.entries(1), BlkifRing.entries(2), BlkifRing.entries(3), BlkifRing.entries(4)));
        assertThat(lines.get(9)).as("struct blkif_request_indirect").isEqualTo("indirect %d %d %d %d %d %d %d %d".formatted(
            BlkifRequestDescriptor.OPERATION_OFFSET, BlkifRequestDescriptor.INDIRECT_OP_OFFSET,
            BlkifRequestDescriptor.INDIRECT_NR_SEGMENTS_OFFSET, BlkifRequestDescriptor.ID_OFFSET,
            BlkifRequestDescriptor.SECTOR_NUMBER_OFFSET, BlkifRequestDescriptor.INDIRECT_HANDLE_OFFSET,
            BlkifRequestDescriptor.INDIRECT_GREFS_OFFSET, BlkifRequestDescriptor.MAX_INDIRECT_PAGES_PER_REQUEST));
    }

    @Test
    void javaBackendServesACFrontend() throws Exception
    {
        try (SharedRegion region = SharedRegion.createFile(dir.resolve("c-front.region"), RegionType.XEN_RING, 0, RING_BYTES))
        {
            final Process process = startPeer("front", region);
            try
            {
                final BufferedReader out = reader(process);
                assertThat(out.readLine()).isEqualTo("ready 32");
                final BackRing back = BackRing.attach(region.payloadBuffer(), 0, RING_BYTES, BlkifTestMessages.SLOT_LENGTH);
                serve(back, process);
                assertThat(out.readLine()).startsWith("done " + REQUESTS);
                assertExitedCleanly(process);
                assertThat(back.fault()).isEqualTo(RingFault.NONE);
            }
            finally
            {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void javaFrontendDrivesACBackend() throws Exception
    {
        try (SharedRegion region = SharedRegion.createFile(dir.resolve("c-back.region"), RegionType.XEN_RING, 0, RING_BYTES))
        {
            final FrontRing front = FrontRing.initialise(region.payloadBuffer(), 0, RING_BYTES, BlkifTestMessages.SLOT_LENGTH);
            final Process process = startPeer("back", region);
            try
            {
                final BufferedReader out = reader(process);
                assertThat(out.readLine()).isEqualTo("ready 32");
                drive(front, process);
                assertThat(out.readLine()).startsWith("done " + REQUESTS);
                assertExitedCleanly(process);
                assertThat(front.fault()).isEqualTo(RingFault.NONE);
            }
            finally
            {
                process.destroyForcibly();
            }
        }
    }

    private static void serve(final BackRing back, final Process process)
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[BlkifTestMessages.SLOT_LENGTH]);
        final long deadline = System.nanoTime() + DEADLINE_NS;
        int served = 0;
        while (served < REQUESTS)
        {
            if (back.copyRequest(request, 0))
            {
                BlkifTestMessages.assertRequest(request, 0, served);
                BlkifTestMessages.writeResponse(back.buffer(), back.claimResponse(), served++);
                back.pushResponsesAndCheckNotify();
            }
            else if (!back.finalCheckForRequests())
            {
                awaitPeer(process, deadline, back::unconsumedRequests);
            }
        }
    }

    private static void drive(final FrontRing front, final Process process)
    {
        final UnsafeBuffer response = new UnsafeBuffer(new byte[BlkifTestMessages.SLOT_LENGTH]);
        final AtomicBuffer ring = front.buffer();
        final long deadline = System.nanoTime() + DEADLINE_NS;
        int sent = 0;
        int received = 0;
        while (received < REQUESTS)
        {
            while (sent < REQUESTS && !front.full())
            {
                BlkifTestMessages.writeRequest(ring, front.claimRequest(), sent++);
            }
            front.pushRequestsAndCheckNotify();
            if (front.copyResponse(response, 0))
            {
                BlkifTestMessages.assertResponse(response, 0, received++);
            }
            else if (!front.finalCheckForResponses())
            {
                awaitPeer(process, deadline, front::unconsumedResponses);
            }
        }
    }

    /**
     * Nothing to consume yet: the peer must still be running, unless what it pushed just before
     * exiting arrived after our final check (then {@code leftByPeer} sees it).
     */
    private static void awaitPeer(final Process process, final long deadline, final java.util.function.IntSupplier leftByPeer)
    {
        final boolean alive = process.isAlive();
        assertThat(alive || leftByPeer.getAsInt() > 0).as("C peer still running (exit %s) or left work", alive ? "" : process.exitValue())
            .isTrue();
        assertThat(System.nanoTime() - deadline).as("deadline").isNegative();
        Thread.yield();
    }

    private static Process startPeer(final String role, final SharedRegion region) throws IOException
    {
        return new ProcessBuilder(peer.toString(), role, region.path().orElseThrow().toString(),
            String.valueOf(RegionHeaderDescriptor.PAYLOAD_OFFSET), String.valueOf(REQUESTS))
            .redirectError(dir.resolve(role + ".stderr").toFile()).start();
    }

    private static void assertExitedCleanly(final Process process) throws Exception
    {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("C peer exits").isTrue();
        assertThat(process.exitValue()).as("C peer exit status; stderr in %s", dir).isZero();
    }

    private static BufferedReader reader(final Process process)
    {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }
}
