package org.coopvm.perf.block;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@code block-bench}: the block benchmark's guest workload. It does nothing itself; the
 * benchmark drives the guest's disk through the guest's services ({@link GuestIo}, on vCPU 0).
 */
public final class BlockBenchWorkload implements Workload
{
    /** The workload's name in the domain spec. */
    public static final String NAME = "block-bench";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        // the benchmark submits the I/O
    }
}
