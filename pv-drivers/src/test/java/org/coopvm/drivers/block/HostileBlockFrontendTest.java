package org.coopvm.drivers.block;

import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.BlkifResponse;
import org.coopvm.rings.blkif.BlkifResponseDescriptor;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.xen.RingFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.drivers.block.BlockTestBed.DEADLINE_S;
import static org.coopvm.rings.blkif.BlkifRequestDescriptor.*;

/**
 * A frontend that writes whatever it likes into its ring: every malformed request gets an error
 * response (BLKIF_RSP_ERROR or EOPNOTSUPP), counted by reason, and the disk keeps serving good
 * requests; a producer index that claims more than the ring holds disconnects that frontend (with
 * the reason kept and logged) while another guest's disk goes on working.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileBlockFrontendTest
{
    @TempDir
    Path dir;

    private final BlockTestBed bed = new BlockTestBed();

    @AfterEach
    void stop()
    {
        bed.close();
    }

    @Test
    void malformedRequestsAreAnsweredWithErrorsCountedByReasonAndTheDiskGoesOn() throws Exception
    {
        bed.backend.start();
        final Domain domain = bed.createDomain("hostile");
        final VirtualDevice xvda = bed.addDisk(domain, "xvda", BlockTestBed.image(dir, "rw.img", 1), false);
        final GuestKernel kernel = bed.bootWithoutBlockDriver(domain);
        final RawBlkfront front = RawBlkfront.start(kernel, BlkifDevice.of(domain.domid(), xvda).frontendPath());
        final int good = front.dataRef;

        expect(front, 1, STATUS(-1), r -> r.header(OP_READ, 1, 0, 1, 0).segment(0, 99_999, 0, 7));
        expect(front, 2, STATUS(-1), r -> r.header(OP_READ, 1, 0, 2, 0).segment(0, 1_500, 0, 7));
        expect(front, 3, STATUS(-1), r -> r.header(OP_WRITE, 1, 0, 3, 0).segment(0, good, 5, 3));
        expect(front, 4, STATUS(-1), r -> r.header(OP_WRITE, 1, 0, 4, 0).segment(0, good, 0, 8));
        expect(front, 5, STATUS(-1), r -> r.header(OP_READ, 12, 0, 5, 0));
        expect(front, 6, STATUS(-1), r -> r.header(OP_READ, 0, 0, 6, 0));
        expect(front, 7, STATUS(-1), r -> r.header(OP_READ, 1, 0, 7, 2047).segment(0, good, 0, 7));
        expect(front, 8, STATUS(-1), r -> r.header(OP_READ, 1, 0, 8, -1L).segment(0, good, 0, 0));
        expect(front, 9, STATUS(-1), r -> r.discard(0, 0, 9, 2000, 49));
        expect(front, 10, STATUS(-2), r -> r.header(4, 1, 0, 10, 0).segment(0, good, 0, 7));
        expect(front, 11, STATUS(-2), r -> r.header(7, 1, 0, 11, 0));
        expect(front, 12, STATUS(-2), r -> r.header(200, 0, 0, 12, 0));
        expect(front, 13, STATUS(0), r -> r.header(OP_WRITE, 1, 0, 13, 2047).segment(0, good, 7, 7));
        expect(front, 14, STATUS(0), r -> r.header(OP_READ, 2, 0, 14, 0).segment(0, good, 0, 3).segment(1, good, 4, 7));

        final VbdCounters counters = bed.backend.counters(domain.domid(), xvda.number()).orElseThrow();
        assertThat(counters.errors(BlockError.BAD_GREF)).isEqualTo(2);
        assertThat(counters.errors(BlockError.BAD_SEGMENT_SECTORS)).isEqualTo(2);
        assertThat(counters.errors(BlockError.BAD_SEGMENT_COUNT)).isEqualTo(2);
        assertThat(counters.errors(BlockError.BEYOND_END)).isEqualTo(3);
        assertThat(counters.errors(BlockError.UNSUPPORTED_OPERATION)).isEqualTo(3);
        assertThat(counters.errors()).isEqualTo(12);
        assertThat(counters.requests()).isEqualTo(14);
        assertThat(bed.backendState(domain, xvda)).as("still connected").isEqualTo("4");
        assertThat(bed.backend.agentErrors()).isZero();
    }

    @Test
    void indirectRequestsMoveTheirSegmentsAndMalformedOnesAreAnsweredWithErrors() throws Exception
    {
        bed.backend.start();
        final Domain domain = bed.createDomain("indirect");
        final Path image = BlockTestBed.image(dir, "indirect.img", 1);
        final VirtualDevice xvda = bed.addDisk(domain, "xvda", image, false);
        final RawBlkfront front = RawBlkfront.start(bed.bootWithoutBlockDriver(domain), BlkifDevice.of(domain.domid(), xvda).frontendPath());
        assertThat(bed.backendKey(domain, xvda, BlkifDevice.FEATURE_MAX_INDIRECT_SEGMENTS)).isEqualTo("256");
        final int good = front.dataRef;
        final int pages = 16;
        for (int page = 0; page < pages; page++)
        {
            front.indirectSegment(page, good, 0, 7);
        }
        for (int i = 0; i < 4096; i++)
        {
            front.data.putByte(i, (byte)(i * 7 + 1));
        }

        final BlkifResponse written = expect(front, 1, STATUS(0), r -> r.indirect(OP_WRITE, pages, 0, 1, 64).indirectGref(0, front.indirectRef));
        assertThat(written.operation()).as("answered as the write it carried, as Linux blkback does").isEqualTo(OP_WRITE);
        final byte[] disk = Files.readAllBytes(image);
        for (int i = 0; i < pages * 4096; i++)
        {
            assertThat(disk[64 * 512 + i]).as("byte %d of the 64 KiB written from 16 segments", i).isEqualTo((byte)(i % 4096 * 7 + 1));
        }
        front.data.setMemory(0, 4096, (byte)0);
        expect(front, 2, STATUS(0), r -> r.indirect(OP_READ, 1, 0, 2, 64).indirectGref(0, front.indirectRef));
        assertThat(front.data.getByte(4095)).as("read back through an indirect read").isEqualTo((byte)(4095 * 7 + 1));

        expect(front, 3, STATUS(-2), r -> r.indirect(OP_FLUSH_DISKCACHE, 1, 0, 3, 0).indirectGref(0, front.indirectRef));
        expect(front, 4, STATUS(-1), r -> r.indirect(OP_READ, 0, 0, 4, 0).indirectGref(0, front.indirectRef));
        expect(front, 5, STATUS(-1), r -> r.indirect(OP_READ, 257, 0, 5, 0).indirectGref(0, front.indirectRef));
        expect(front, 6, STATUS(-1), r -> r.indirect(OP_READ, 1, 0, 6, 0).indirectGref(0, 99_999));
        expect(front, 7, STATUS(-1), r -> r.indirect(OP_READ, pages, 0, 7, 2048 - 64).indirectGref(0, front.indirectRef));
        front.indirectSegment(3, good, 5, 3);
        expect(front, 8, STATUS(-1), r -> r.indirect(OP_READ, pages, 0, 8, 0).indirectGref(0, front.indirectRef));
        front.indirectSegment(3, 99_999, 0, 7);
        expect(front, 9, STATUS(-1), r -> r.indirect(OP_READ, pages, 0, 9, 0).indirectGref(0, front.indirectRef));

        final VbdCounters counters = bed.backend.counters(domain.domid(), xvda.number()).orElseThrow();
        assertThat(counters.value(VbdCounters.Value.INDIRECT_REQUESTS)).as("those that named a good count of segments").isEqualTo(6);
        assertThat(counters.errors(BlockError.UNSUPPORTED_OPERATION)).isEqualTo(1);
        assertThat(counters.errors(BlockError.BAD_SEGMENT_COUNT)).isEqualTo(2);
        assertThat(counters.errors(BlockError.BAD_GREF)).as("an indirect page and a segment that do not map").isEqualTo(2);
        assertThat(counters.errors(BlockError.BEYOND_END)).isEqualTo(1);
        assertThat(counters.errors(BlockError.BAD_SEGMENT_SECTORS)).isEqualTo(1);
        assertThat(counters.requests(OP_READ)).isEqualTo(7);
        assertThat(counters.requests(OP_WRITE)).isEqualTo(1);
        assertThat(bed.backendState(domain, xvda)).as("still connected").isEqualTo("4");
        assertThat(bed.backend.agentErrors()).isZero();
    }

    @Test
    void aReadOnlyDiskRefusesEveryWayOfChangingIt() throws Exception
    {
        bed.backend.start();
        final Domain domain = bed.createDomain("reader");
        final VirtualDevice xvdb = bed.addDisk(domain, "xvdb", BlockTestBed.image(dir, "ro.img", 1), true);
        final RawBlkfront front = RawBlkfront.start(bed.bootWithoutBlockDriver(domain), BlkifDevice.of(domain.domid(), xvdb).frontendPath());

        expect(front, 1, STATUS(-1), r -> r.header(OP_WRITE, 1, 0, 1, 0).segment(0, front.dataRef, 0, 7));
        expect(front, 2, STATUS(-1), r -> r.header(OP_WRITE_BARRIER, 1, 0, 2, 0).segment(0, front.dataRef, 0, 7));
        expect(front, 3, STATUS(-1), r -> r.header(OP_FLUSH_DISKCACHE, 0, 0, 3, 0));
        expect(front, 4, STATUS(-1), r -> r.discard(0, 0, 4, 0, 8));
        front.indirectSegment(0, front.dataRef, 0, 7);
        expect(front, 5, STATUS(-1), r -> r.indirect(OP_WRITE, 1, 0, 5, 0).indirectGref(0, front.indirectRef));
        expect(front, 6, STATUS(0), r -> r.header(OP_READ, 1, 0, 6, 0).segment(0, front.dataRef, 0, 7));

        assertThat(bed.backend.counters(domain.domid(), xvdb.number()).orElseThrow().errors(BlockError.READ_ONLY)).isEqualTo(5);
    }

    @Test
    void aProducerIndexBeyondTheRingDisconnectsThatFrontendOnly() throws Exception
    {
        bed.backend.start();
        final Domain honest = bed.createDomain("honest");
        bed.addDisk(honest, "xvda", BlockTestBed.image(dir, "honest.img", 1), false);
        final BlockDevice disk = bed.connectedDisk(bed.boot(honest), "xvda");
        final Domain hostile = bed.createDomain("overrun");
        final VirtualDevice xvda = bed.addDisk(hostile, "xvda", BlockTestBed.image(dir, "overrun.img", 1), false);
        final RawBlkfront front = RawBlkfront.start(bed.bootWithoutBlockDriver(hostile),
            BlkifDevice.of(hostile.domid(), xvda).frontendPath());
        expect(front, 1, STATUS(0), r -> r.header(OP_READ, 1, 0, 1, 0).segment(0, front.dataRef, 0, 7));

        front.overrunProducerIndex();

        final VbdCounters counters = bed.backend.counters(hostile.domid(), xvda.number()).orElseThrow();
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> counters.value(VbdCounters.Value.HOSTILE_DISCONNECTS) == 1);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "6".equals(bed.frontendState(hostile, xvda)));
        assertThat(bed.backendState(hostile, xvda)).as("Closing, then Closed after the frontend").isIn("5", "6");
        assertThat(bed.backend.lastProblem(hostile.domid(), xvda.number()).orElseThrow())
            .contains(RingFault.PRODUCER_INDEX_OVERRUN.name());
        assertThat(bed.backend.isConnected(hostile.domid(), xvda.number())).isFalse();
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)).doesNotContain("blkback-" + hostile.domid() + "-xvda");

        final BlockBuffer buffer = disk.allocateBuffer(1).orElseThrow();
        BlockTestBed.fill(buffer, 4096, i -> i);
        assertThat(BlockTestBed.write(disk, 0, buffer, 8)).as("the other guest's disk").isZero();
        assertThat(BlockTestBed.read(disk, 0, buffer, 8)).isZero();
        assertThat(disk.isConnected()).isTrue();
    }

    private static short STATUS(final int status)
    {
        return (short)status;
    }

    private static BlkifResponse expect(final RawBlkfront front, final long id, final short status,
        final Consumer<org.coopvm.rings.blkif.BlkifRequest> request)
    {
        front.send(request);
        final BlkifResponse response = front.response();
        assertThat(response.id()).as("id echoed").isEqualTo(id);
        assertThat(response.status()).as("status of request %d (%s)", id, BlkifResponseDescriptor.statusName(status)).isEqualTo(status);
        return response;
    }
}
