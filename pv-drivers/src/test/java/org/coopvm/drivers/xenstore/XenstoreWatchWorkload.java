package org.coopvm.drivers.xenstore;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.guest.xenstore.XenstoreException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code xenstore-watch-test}: at boot (on vCPU 0) sets a watch on its own {@code memory/target}
 * through the kernel's xenstore client; each event reads the node and records the value in
 * {@link #TARGETS} and on the console ({@code target=<value>}).
 */
public final class XenstoreWatchWorkload implements Workload
{
    /** Last {@code memory/target} each domain's watch read, per domid. */
    static final Map<Integer, String> TARGETS = new ConcurrentHashMap<>();

    @Override
    public String name()
    {
        return "xenstore-watch-test";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final XenstoreClient xenstore = ctx.xenstore().orElseThrow(() -> new IllegalStateException("no xenstore"));
        xenstore.watch("memory/target", "balloon", (path, token) ->
        {
            try
            {
                final String value = xenstore.readString("memory/target");
                TARGETS.put(ctx.domid(), value);
                ctx.console().log("target=" + value);
            }
            catch (final XenstoreException ex)
            {
                TARGETS.put(ctx.domid(), ex.errno().name());
            }
        });
    }
}
