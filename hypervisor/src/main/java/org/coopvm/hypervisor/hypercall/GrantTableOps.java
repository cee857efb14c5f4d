package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.grant.GrantCopy;
import org.coopvm.hypervisor.grant.GrantMapping;
import org.coopvm.hypervisor.grant.GrantTables;
import org.coopvm.rings.grant.GrantStatus;
import org.coopvm.rings.hypercall.HypercallRequest;

import static org.coopvm.rings.hypercall.GrantTableOpDescriptor.*;

/**
 * grant_table_op: one grant operation per call; the result is 0 and the GNTST status goes in
 * the output, as Xen reports per-operation status.
 *
 * <p>Thread safety: the dispatcher thread.
 */
final class GrantTableOps
{
    private final GrantTables grants;

    GrantTableOps(final GrantTables grants)
    {
        this.grants = grants;
    }

    OpHandler table()
    {
        return CommandTable.builder("grant_table_op")
            .on(GNTTABOP_MAP_GRANT_REF, 12, this::map)
            .on(GNTTABOP_UNMAP_GRANT_REF, 4, ctx -> status(ctx, grants.unmap(ctx.domain(), ctx.request().argInt(UNMAP_HANDLE_OFFSET))))
            .on(GNTTABOP_SETUP_TABLE, 4, ctx -> status(ctx, grants.setupTable(ctx.domain(), ctx.request().argInt(SETUP_NR_FRAMES_OFFSET))))
            .on(GNTTABOP_COPY, COPY_ARGS_LENGTH, ctx -> status(ctx, grants.copy(ctx.domain(), copyArgs(ctx.request()))))
            .on(GNTTABOP_QUERY_SIZE, this::querySize)
            .build();
    }

    private long map(final HypercallContext ctx)
    {
        final HypercallRequest request = ctx.request();
        final int granterDom = request.argInt(MAP_DOM_OFFSET);
        final boolean readonly = (request.argInt(MAP_FLAGS_OFFSET) & GNTMAP_READONLY) != 0;
        final long handle = grants.map(ctx.domain(), granterDom, request.argInt(MAP_REF_OFFSET), readonly);
        if (handle < 0)
        {
            ctx.outInt(MAP_STATUS_OUT_OFFSET, (int)handle);
            return 0;
        }
        final GrantMapping mapping = grants.mapping(ctx.domain(), (int)handle);
        ctx.outInt(MAP_STATUS_OUT_OFFSET, GrantStatus.GNTST_OKAY);
        ctx.outInt(MAP_HANDLE_OUT_OFFSET, (int)handle);
        ctx.outInt(MAP_DOM_OUT_OFFSET, mapping.granter().domid());
        ctx.outInt(MAP_FRAME_OUT_OFFSET, (int)mapping.frame());
        return 0;
    }

    private long querySize(final HypercallContext ctx)
    {
        ctx.outInt(QUERY_NR_FRAMES_OUT_OFFSET, grants.nrFrames(ctx.domain()));
        ctx.outInt(QUERY_MAX_FRAMES_OUT_OFFSET, grants.maxFrames(ctx.domain()));
        ctx.outInt(QUERY_STATUS_OUT_OFFSET, GrantStatus.GNTST_OKAY);
        return 0;
    }

    private static long status(final HypercallContext ctx, final int status)
    {
        ctx.outInt(STATUS_OUT_OFFSET, status);
        return 0;
    }

    private static GrantCopy copyArgs(final HypercallRequest request)
    {
        return new GrantCopy(
            Integer.toUnsignedLong(request.argInt(COPY_SRC_REF_OFFSET)), request.argInt(COPY_SRC_DOM_OFFSET),
            request.argUnsignedShort(COPY_SRC_PAGE_OFFSET),
            Integer.toUnsignedLong(request.argInt(COPY_DST_REF_OFFSET)), request.argInt(COPY_DST_DOM_OFFSET),
            request.argUnsignedShort(COPY_DST_PAGE_OFFSET),
            request.argUnsignedShort(COPY_LEN_OFFSET), request.argUnsignedShort(COPY_FLAGS_OFFSET));
    }
}
