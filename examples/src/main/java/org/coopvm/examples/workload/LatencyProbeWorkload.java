package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@code latency-probe}: a latency-sensitive service. Requests arrive by event channel
 * ({@code VIRQ_TIMER}, at Poisson times), each is answered with a fixed piece of work, and the
 * response times (arrival to answer) are recorded in a histogram (see {@link ProbeTask}; arguments
 * in {@link ProbeConfig}). Run next to {@code cpu-burn} guests it shows what the scheduler does to
 * a waking vCPU: with credit it is boosted ahead of the burners and answers within a fraction of
 * a slice; without, it waits for its turn.
 *
 * <p>Every report period it publishes under {@code data/latency-probe/} in xenstore the window's
 * {@code requests}, {@code p50-us}, {@code p99-us}, {@code max-us} and the same since start
 * prefixed {@code total-}; with {@code seconds} it ends with a summary on the console and a
 * poweroff.
 */
public final class LatencyProbeWorkload implements Workload
{
    @Override
    public String name()
    {
        return "latency-probe";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final ProbeConfig config = ProbeConfig.from(args);
        ctx.submit(new ProbeTask(ctx, config));
    }
}
