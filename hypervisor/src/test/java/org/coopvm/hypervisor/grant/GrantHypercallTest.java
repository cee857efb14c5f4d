package org.coopvm.hypervisor.grant;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.hypervisor.testing.Response;
import org.coopvm.hypervisor.testing.TestHost;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.mem.Pages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coopvm.rings.grant.GrantStatus.*;
import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.DOMID_SELF;
import static org.coopvm.rings.hypercall.GrantTableOpDescriptor.*;

class GrantHypercallTest
{
    private static final int REF = 8;
    private static final int FRAME = 3;

    private final TestHost host = new TestHost();
    private final FakeGuest a = host.guest("a");
    private final FakeGuest b = host.guest("b");
    private final FakeGuest c = host.guest("c");

    @AfterEach
    void close()
    {
        host.close();
    }

    @Test
    void mapReturnsHandleGranterAndFrameAndPinsTheEntry()
    {
        a.grants().grantAccess(REF, b.domain().domid(), FRAME, false);

        final Response map = map(b, a.domain().domid(), REF, false);

        assertThat(map.result()).isZero();
        assertThat(map.outInt(MAP_STATUS_OUT_OFFSET)).isEqualTo(GNTST_OKAY);
        assertThat(map.outInt(MAP_DOM_OUT_OFFSET)).isEqualTo(a.domain().domid());
        assertThat(map.outInt(MAP_FRAME_OUT_OFFSET)).isEqualTo(FRAME);
        assertThat(a.grants().isInUse(REF)).isTrue();
        assertThat(a.grants().endAccess(REF)).as("no revoke while mapped").isFalse();

        assertThat(unmap(b, map.outInt(MAP_HANDLE_OUT_OFFSET))).isEqualTo(GNTST_OKAY);
        assertThat(a.grants().endAccess(REF)).as("revoke after unmap").isTrue();
        assertThat(unmap(b, map.outInt(MAP_HANDLE_OUT_OFFSET))).isEqualTo(GNTST_BAD_HANDLE);
    }

    @Test
    void mapChecksGranteeReadonlyRefDomainAndPage()
    {
        a.grants().grantAccess(REF, b.domain().domid(), FRAME, true);
        a.grants().grantAccess(REF + 1, b.domain().domid(), a.domain().spec().memoryPages(), false);

        assertThat(map(c, a.domain().domid(), REF, true).outInt(MAP_STATUS_OUT_OFFSET)).as("wrong grantee").isEqualTo(GNTST_GENERAL_ERROR);
        assertThat(map(b, a.domain().domid(), REF, false).outInt(MAP_STATUS_OUT_OFFSET)).as("write map of readonly").isEqualTo(GNTST_GENERAL_ERROR);
        assertThat(map(b, a.domain().domid(), REF + 1, true).outInt(MAP_STATUS_OUT_OFFSET)).as("frame beyond memory").isEqualTo(GNTST_BAD_PAGE);
        assertThat(map(b, a.domain().domid(), 600, true).outInt(MAP_STATUS_OUT_OFFSET)).as("ref beyond the table in use").isEqualTo(GNTST_BAD_GNTREF);
        assertThat(map(b, 999, REF, true).outInt(MAP_STATUS_OUT_OFFSET)).isEqualTo(GNTST_BAD_DOMAIN);
        assertThat(map(b, 0, REF, true).outInt(MAP_STATUS_OUT_OFFSET)).as("dom0 grants nothing").isEqualTo(GNTST_BAD_DOMAIN);
        assertThat(a.grants().isInUse(REF)).isFalse();
        assertThat(map(b, a.domain().domid(), REF, true).outInt(MAP_STATUS_OUT_OFFSET)).isEqualTo(GNTST_OKAY);
    }

    @Test
    void setupTableGrowsTheTableUpToItsMaximumAndQuerySizeReportsIt()
    {
        a.grants().grantAccess(600, b.domain().domid(), FRAME, false);
        assertThat(map(b, a.domain().domid(), 600, false).outInt(MAP_STATUS_OUT_OFFSET)).isEqualTo(GNTST_BAD_GNTREF);

        assertThat(setupTable(a, 2)).isEqualTo(GNTST_OKAY);
        assertThat(map(b, a.domain().domid(), 600, false).outInt(MAP_STATUS_OUT_OFFSET)).isEqualTo(GNTST_OKAY);
        assertThat(setupTable(a, 65)).isEqualTo(GNTST_GENERAL_ERROR);
        a.begin(0, GNTTABOP_QUERY_SIZE);
        final Response query = a.call(HypercallOp.GRANT_TABLE_OP, 0);
        assertThat(query.outInt(QUERY_NR_FRAMES_OUT_OFFSET)).isEqualTo(2);
        assertThat(query.outInt(QUERY_MAX_FRAMES_OUT_OFFSET)).isEqualTo(64);
        assertThat(query.outInt(QUERY_STATUS_OUT_OFFSET)).isEqualTo(GNTST_OKAY);
    }

    @Test
    void dom0BackendGetsABoundsCheckedViewOfExactlyTheGrantedPage()
    {
        a.grants().grantAccess(REF, 0, FRAME, true);
        final var memory = a.domain().regions().memory().payloadBuffer();
        memory.putLong(FRAME * Pages.PAGE_SIZE, 0x1122334455667788L);
        memory.putLong(FRAME * Pages.PAGE_SIZE + 4088, 42);

        final Hypervisor.MapResult result = host.hypervisor().dom0Map(a.domain().domid(), REF, true);

        assertThat(result.status()).isEqualTo(GNTST_OKAY);
        final GrantMapping mapping = result.mapping();
        assertThat(mapping.page().capacity()).isEqualTo(Pages.PAGE_SIZE);
        assertThat(mapping.page().getLong(0)).isEqualTo(0x1122334455667788L);
        assertThat(mapping.page().getLong(4088)).isEqualTo(42);
        assertThatThrownBy(() -> mapping.page().getLong(4090)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(host.hypervisor().dom0Map(a.domain().domid(), REF, false).status()).as("readonly").isEqualTo(GNTST_GENERAL_ERROR);
        assertThat(host.hypervisor().dom0Unmap(mapping.handle())).isEqualTo(GNTST_OKAY);
        assertThat(a.grants().endAccess(REF)).isTrue();
    }

    @Test
    void copyMovesBytesFromAGrantIntoTheCallersOwnFrame()
    {
        a.grants().grantAccess(REF, b.domain().domid(), FRAME, true);
        a.domain().regions().memory().payloadBuffer().putStringWithoutLengthAscii(FRAME * Pages.PAGE_SIZE + 100, "granted bytes");

        assertThat(copy(b, REF, a.domain().domid(), 100, 5, DOMID_SELF, 10, 13, GNTCOPY_SOURCE_GREF)).isEqualTo(GNTST_OKAY);

        assertThat(b.domain().regions().memory().payloadBuffer().getStringWithoutLengthAscii(5 * Pages.PAGE_SIZE + 10, 13))
            .isEqualTo("granted bytes");
        assertThat(a.grants().isInUse(REF)).as("copy pins only while copying").isFalse();
    }

    @Test
    void copyIntoAGrantNeedsWriteAccessAndNeverCrossesAPage()
    {
        a.grants().grantAccess(REF, b.domain().domid(), FRAME, true);
        a.grants().grantAccess(REF + 1, b.domain().domid(), FRAME + 1, false);

        assertThat(copy(b, 5, DOMID_SELF, 0, REF, a.domain().domid(), 0, 8, GNTCOPY_DEST_GREF)).as("readonly dst").isEqualTo(GNTST_GENERAL_ERROR);
        assertThat(copy(b, 5, DOMID_SELF, 0, REF + 1, a.domain().domid(), 0, 8, GNTCOPY_DEST_GREF)).isEqualTo(GNTST_OKAY);
        assertThat(copy(b, 5, DOMID_SELF, 4000, REF + 1, a.domain().domid(), 0, 100, GNTCOPY_DEST_GREF)).as("src crosses").isEqualTo(GNTST_BAD_COPY_ARG);
        assertThat(copy(b, 5, DOMID_SELF, 0, REF + 1, a.domain().domid(), 4095, 2, GNTCOPY_DEST_GREF)).as("dst crosses").isEqualTo(GNTST_BAD_COPY_ARG);
        assertThat(copy(b, 5, a.domain().domid(), 0, 6, DOMID_SELF, 0, 8, 0)).as("another domain's frame without a grant").isEqualTo(GNTST_PERMISSION_DENIED);
        assertThat(copy(c, REF + 1, a.domain().domid(), 0, 5, DOMID_SELF, 0, 8, GNTCOPY_SOURCE_GREF)).as("wrong grantee").isEqualTo(GNTST_GENERAL_ERROR);
        assertThat(copy(b, 5, DOMID_SELF, 0, b.domain().spec().memoryPages(), DOMID_SELF, 0, 8, 0)).isEqualTo(GNTST_BAD_PAGE);
    }

    private static Response map(final FakeGuest guest, final int dom, final int ref, final boolean readonly)
    {
        guest.begin(0, GNTTABOP_MAP_GRANT_REF).argInt(MAP_FLAGS_OFFSET, readonly ? GNTMAP_READONLY : 0)
            .argInt(MAP_DOM_OFFSET, dom).argInt(MAP_REF_OFFSET, ref);
        return guest.call(HypercallOp.GRANT_TABLE_OP, 12);
    }

    private static int unmap(final FakeGuest guest, final int handle)
    {
        guest.begin(0, GNTTABOP_UNMAP_GRANT_REF).argInt(UNMAP_HANDLE_OFFSET, handle);
        return guest.call(HypercallOp.GRANT_TABLE_OP, 4).outInt(STATUS_OUT_OFFSET);
    }

    private static int setupTable(final FakeGuest guest, final int frames)
    {
        guest.begin(0, GNTTABOP_SETUP_TABLE).argInt(SETUP_NR_FRAMES_OFFSET, frames);
        return guest.call(HypercallOp.GRANT_TABLE_OP, 4).outInt(STATUS_OUT_OFFSET);
    }

    private static int copy(final FakeGuest guest, final int src, final int srcDom, final int srcOffset,
        final int dst, final int dstDom, final int dstOffset, final int length, final int flags)
    {
        guest.begin(0, GNTTABOP_COPY).argInt(COPY_SRC_REF_OFFSET, src).argInt(COPY_SRC_DOM_OFFSET, srcDom)
            .argShort(COPY_SRC_PAGE_OFFSET, srcOffset).argInt(COPY_DST_REF_OFFSET, dst).argInt(COPY_DST_DOM_OFFSET, dstDom)
            .argShort(COPY_DST_PAGE_OFFSET, dstOffset).argShort(COPY_LEN_OFFSET, length).argShort(COPY_FLAGS_OFFSET, flags);
        final Response response = guest.call(HypercallOp.GRANT_TABLE_OP, COPY_ARGS_LENGTH);
        assertThat(response.result()).isZero();
        return response.outInt(STATUS_OUT_OFFSET);
    }
}
