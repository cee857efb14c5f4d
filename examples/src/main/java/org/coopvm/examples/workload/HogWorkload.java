package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;
import org.coopvm.rings.mem.Pages;

import java.util.Map;

/**
 * {@code hog}: memory demand that follows a profile over time (ramp, steps, sine, or a CSV trace
 * of seconds to MiB; see {@link HogConfig} for the arguments). Every tick it allocates or frees
 * 1 MiB chunks towards the demand (at most {@code max_step_mib} per tick), writes every new page,
 * and checks a few MiB of what it holds; when memory runs out it counts an out-of-memory event,
 * keeps what it has and tries again at the next tick.
 *
 * <p>Every second it publishes under {@code data/hog/} in xenstore: {@code demand-mib} (rounded
 * up to whole MiB), {@code held-mib}, {@code oom-events}, {@code touch-errors} and {@code touch-us} (how
 * long the last tick's touches took: with {@code swappable=true} it grows with the pages that had
 * to come back from swap); it logs them on
 * the console every 10 s, and an out-of-memory event at most once every 10 s.
 */
public final class HogWorkload implements Workload
{
    @Override
    public String name()
    {
        return "hog";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final HogConfig config = HogConfig.from(args);
        final HogDriver driver = new HogDriver(ctx.memory(), Math.max(1, config.maxStepMib() / HogDriver.CHUNK_MIB),
            (int)(((long)config.touchMib() << 20) / Pages.PAGE_SIZE), config.swappable());
        ctx.console().log("hog: " + config.profile().describe() + ", following it every " + config.tickMs() + " ms" +
            (config.swappable() ? ", swappable" : ""));
        ctx.submit(new HogTask(ctx, config, driver));
    }
}
