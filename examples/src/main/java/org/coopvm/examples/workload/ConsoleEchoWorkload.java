package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code console-echo}: answers every line typed on the domain's console ({@code coop console})
 * with {@code echo: <line>}. Otherwise idle.
 */
public final class ConsoleEchoWorkload implements Workload
{
    @Override
    public String name()
    {
        return "console-echo";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final StringBuilder partial = new StringBuilder();
        final boolean input = ctx.console().onInput((bytes, offset, length) ->
        {
            partial.append(new String(bytes, offset, length, StandardCharsets.UTF_8));
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0)
            {
                ctx.console().log("echo: " + partial.substring(0, newline));
                partial.delete(0, newline + 1);
            }
        });
        ctx.console().log(input ? "console-echo: dom" + ctx.domid() + " is listening" :
            "console-echo: dom" + ctx.domid() + " has no console input");
    }
}
