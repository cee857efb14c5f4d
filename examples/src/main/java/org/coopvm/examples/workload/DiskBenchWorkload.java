package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@code disk-bench}: fio-style block I/O on one of the guest's virtual disks through the block
 * frontend's asynchronous API: sequential or random reads, writes or a mix, a chosen block size and
 * queue depth (arguments in {@link DiskBenchConfig}). Every report period it publishes under
 * {@code data/disk-bench/} in xenstore the window's {@code ops}, {@code iops}, {@code mb-s},
 * {@code p50-us}, {@code p99-us}, {@code p999-us}, {@code max-us} and the same since start
 * prefixed {@code total-}, with {@code errors}; with {@code seconds} it ends with a summary line on
 * the console and a poweroff ({@link DiskBenchTask}).
 */
public final class DiskBenchWorkload implements Workload
{
    @Override
    public String name()
    {
        return "disk-bench";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        ctx.submit(new DiskBenchTask(ctx, DiskBenchConfig.from(args)));
    }
}
