package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.guest.xenstore.XenstoreException;

import java.util.Map;

/**
 * {@code xenstore-watch}: watches one xenstore node of its own domain ({@code path=...},
 * relative to {@code /local/domain/<domid>}, default {@code memory/target}) and prints each value
 * it reads on the console ({@code xenstore-watch: memory/target = 262144}), so a dom0 write
 * ({@code coop xenstore write} or Xen's {@code xenstore-write}) shows in {@code coop console}.
 * Otherwise idle.
 */
public final class XenstoreWatchWorkload implements Workload
{
    /** The node watched when the domain config names none. */
    static final String DEFAULT_PATH = "memory/target";

    @Override
    public String name()
    {
        return "xenstore-watch";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final String path = args.getOrDefault("path", DEFAULT_PATH);
        final XenstoreClient xenstore = ctx.xenstore().orElseThrow(() -> new IllegalStateException("xenstore-watch: no xenstore"));
        xenstore.watch(path, "xenstore-watch", (changed, token) -> ctx.console().log("xenstore-watch: " + path + " = " + read(xenstore, path)));
        ctx.console().log("xenstore-watch: dom" + ctx.domid() + " watches " + path);
    }

    private static String read(final XenstoreClient xenstore, final String path)
    {
        try
        {
            return xenstore.readString(path);
        }
        catch (final XenstoreException ex)
        {
            return "(" + ex.errno().name() + ")";
        }
    }
}
