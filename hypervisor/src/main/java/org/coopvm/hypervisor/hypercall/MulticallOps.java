package org.coopvm.hypervisor.hypercall;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.hypercall.HypercallDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.HypercallRequest;
import org.coopvm.rings.hypercall.SchedOpDescriptor;

import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.MulticallOpDescriptor.*;

/**
 * multicall: runs up to 32 entries through the same op table, one i64 result each. Entries
 * that would be answered later (block, poll) and nested multicalls get -EINVAL.
 *
 * <p>Thread safety: the dispatcher thread.
 */
final class MulticallOps implements OpHandler
{
    private final OpHandler[] ops;
    private final HypercallContext entryContext = new HypercallContext();
    private final UnsafeBuffer entryBuffer = new UnsafeBuffer(new byte[HypercallDispatcher.MAX_REQUEST_LENGTH]);
    private final HypercallRequest entryRequest = new HypercallRequest();

    MulticallOps(final OpHandler[] ops)
    {
        this.ops = ops;
    }

    @Override
    public long handle(final HypercallContext ctx)
    {
        if (!ctx.hasArgs(ENTRIES_OFFSET))
        {
            return ctx.malformed("multicall without a count");
        }
        final HypercallRequest request = ctx.request();
        final int count = request.argInt(COUNT_OFFSET);
        if (count < 0 || count > MAX_CALLS)
        {
            return ctx.malformed("multicall of " + Integer.toUnsignedString(count) + " entries", -E2BIG);
        }
        int offset = ENTRIES_OFFSET;
        for (int i = 0; i < count; i++)
        {
            if (!ctx.hasArgs(offset + ENTRY_ARGS_OFFSET))
            {
                return ctx.malformed("multicall entry " + i + " truncated");
            }
            final int argsLength = request.argInt(offset + ENTRY_ARGS_LENGTH_OFFSET);
            if (argsLength < 0 || !ctx.hasArgs(offset + ENTRY_ARGS_OFFSET + argsLength))
            {
                return ctx.malformed("multicall entry " + i + " claims " + Integer.toUnsignedString(argsLength) + " argument bytes");
            }
            ctx.outLong(i * 8, runEntry(ctx, offset, argsLength));
            offset += ENTRY_ARGS_OFFSET + argsLength;
        }
        return count;
    }

    private long runEntry(final HypercallContext ctx, final int entryOffset, final int argsLength)
    {
        final HypercallRequest request = ctx.request();
        final int op = request.argInt(entryOffset + ENTRY_OP_OFFSET);
        final int cmd = request.argInt(entryOffset + ENTRY_CMD_OFFSET);
        final OpHandler handler = op >= 0 && op < ops.length ? ops[op] : null;
        if (handler == null)
        {
            ctx.malformed("multicall entry: unknown hypercall " + op, 0);
            return -ENOSYS;
        }
        if (op == HypercallOp.MULTICALL ||
            (op == HypercallOp.SCHED_OP && (cmd == SchedOpDescriptor.SCHEDOP_BLOCK || cmd == SchedOpDescriptor.SCHEDOP_POLL)))
        {
            return -EINVAL;
        }
        entryRequest.wrap(entryBuffer, 0, HypercallRequest.messageLength(argsLength))
            .callId(request.callId()).vcpu(request.vcpu()).cmd(cmd)
            .argBytes(0, request.buffer(), request.argsIndex() + entryOffset + ENTRY_ARGS_OFFSET, argsLength);
        entryContext.reset(ctx.domain(), op, entryBuffer, HypercallDescriptor.HEADER_LENGTH + argsLength);
        final long result = handler.handle(entryContext);
        if (entryContext.malformedReason() != null)
        {
            ctx.malformed("multicall entry: " + entryContext.malformedReason(), 0);
        }
        return result;
    }
}
