package org.coopvm.drivers.block;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.GuestXenstoreAccess;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.BlkifRequest;
import org.coopvm.rings.blkif.BlkifResponse;
import org.coopvm.rings.blkif.BlkifRing;
import org.coopvm.rings.blkif.BlkifSegmentDescriptor;
import org.coopvm.rings.xen.FrontRing;
import org.coopvm.rings.xen.XenRingDescriptor;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenbusFrontend;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * A hand-made blkfront for the hostile-frontend tests: it goes through the real xenbus handshake
 * with a one-page ring and a data page granted to dom0, then lets the test write any request
 * bytes it likes (and any producer index), push them, and read the responses.
 */
final class RawBlkfront implements XenbusFrontend.Driver
{
    private final GuestContext ctx;
    private final UnsafeBuffer responseCopy = new UnsafeBuffer(new byte[BlkifRing.SLOT_LENGTH]);
    private Allocation ringPage;
    private FrontRing ring;
    private int port;
    private volatile boolean connected;
    private volatile XenbusFrontend xenbus;
    final Allocation data;
    final int dataRef;
    /** A page for an indirect request's segments, granted to dom0. */
    final Allocation indirect;
    final int indirectRef;

    private RawBlkfront(final GuestContext ctx)
    {
        this.ctx = ctx;
        this.data = ctx.memory().allocatePages(1).toOptional().orElseThrow();
        this.dataRef = ctx.grants().grantAccess(0, data.frame(0), false);
        this.indirect = ctx.memory().allocatePages(1).toOptional().orElseThrow();
        this.indirectRef = ctx.grants().grantAccess(0, indirect.frame(0), false);
    }

    /** Write segment {@code index} of an indirect request into the indirect page. */
    void indirectSegment(final int index, final int gref, final int firstSect, final int lastSect)
    {
        BlkifSegmentDescriptor.put(indirect.page(0), index * BlkifSegmentDescriptor.SEGMENT_LENGTH, gref, firstSect, lastSect);
    }

    static RawBlkfront start(final GuestKernel kernel, final String frontendPath)
    {
        final RawBlkfront front = new RawBlkfront(kernel.context());
        // on vCPU 0, as the kernel's drivers start: the xenbus callbacks then never wait on a hypercall routed to vCPU 0
        kernel.context().submit(0, task ->
        {
            front.xenbus = XenbusFrontend.start(new GuestXenstoreAccess(kernel.context().xenstore().orElseThrow()), frontendPath, front);
            return StepResult.DONE;
        });
        await().atMost(BlockTestBed.DEADLINE_S, TimeUnit.SECONDS).until(() -> front.connected);
        return front;
    }

    @Override
    public Map<String, String> initialise(final XenbusEnd end)
    {
        ringPage = ctx.memory().allocatePages(1).toOptional().orElseThrow();
        ringPage.setMemory(0, 4096, (byte)0);
        final int ref = ctx.grants().grantAccess(0, ringPage.frame(0), false);
        port = (int)ctx.hypercalls().evtchnAllocUnbound(0);
        ring = FrontRing.initialise(ringPage.page(0), 0, 4096, BlkifRing.SLOT_LENGTH);
        return Map.of(BlkifDevice.RING_REF, Integer.toString(ref), BlkifDevice.EVENT_CHANNEL, Integer.toString(port),
            BlkifDevice.PROTOCOL, BlkifDevice.PROTOCOL_X86_64);
    }

    @Override
    public void connected(final XenbusEnd end)
    {
        connected = true;
    }

    @Override
    public void disconnected(final XenbusEnd end)
    {
        connected = false;
    }

    XenbusFrontend xenbus()
    {
        return xenbus;
    }

    /** Write one request with {@code fill}, push it and notify dom0. */
    void send(final Consumer<BlkifRequest> fill)
    {
        fill.accept(new BlkifRequest().wrap(ring.buffer(), ring.claimRequest()));
        ring.pushRequestsAndCheckNotify();
        ctx.hypercalls().evtchnSend(port);
    }

    /** @return the next response (waits for it). */
    BlkifResponse response()
    {
        await().atMost(BlockTestBed.DEADLINE_S, TimeUnit.SECONDS).until(() -> ring.unconsumedResponses() > 0);
        ring.copyResponse(responseCopy, 0);
        return new BlkifResponse().wrap(responseCopy, 0);
    }

    /** Publish a {@code req_prod} far beyond what the ring holds and notify dom0. */
    void overrunProducerIndex()
    {
        final int rspProd = ring.buffer().getIntVolatile(XenRingDescriptor.RSP_PROD_OFFSET);
        ring.buffer().putIntRelease(XenRingDescriptor.REQ_PROD_OFFSET, rspProd + ring.entries() + 5);
        ctx.hypercalls().evtchnSend(port);
    }
}
