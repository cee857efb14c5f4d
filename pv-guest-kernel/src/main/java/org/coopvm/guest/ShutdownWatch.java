package org.coopvm.guest;

import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.guest.xenstore.XenstoreException;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The guest's half of {@code xl shutdown}, as Linux's {@code drivers/xen/manage.c} does it: at
 * boot a watch on {@code control/shutdown}, then {@code control/feature-poweroff} and
 * {@code control/feature-reboot} = {@code 1} (so the toolstack never asks a guest that is not
 * listening). On a change, a task on vCPU 0 reads the node in a transaction; a command the kernel
 * handles ({@code poweroff}, {@code halt}, {@code reboot}) is acknowledged by writing {@code ""}
 * in that transaction (retried on {@code EAGAIN}), then the kernel shuts down with the matching
 * {@code SCHEDOP_shutdown} reason. An empty node is ignored; any other value ({@code suspend}:
 * this kernel has no save/restore, {@code crash}, garbage) is left unacknowledged and ignored
 * with a console line, as Linux ignores commands it has no handler for.
 *
 * <p>Thread safety: {@link #start} once on vCPU 0 at boot; the watch callback may run on any
 * thread and only submits work to vCPU 0.
 */
public final class ShutdownWatch
{
    /** The node the toolstack writes, relative to the domain's home. */
    public static final String PATH = "control/shutdown";
    /** The token of the kernel's watch on {@link #PATH}. */
    public static final String TOKEN = "kernel-shutdown";

    private static final System.Logger LOG = System.getLogger(ShutdownWatch.class.getName());
    private static final int MAX_LOGGED_CHARS = 64;
    private static final Map<String, ShutdownReason> COMMANDS = Map.of(
        "poweroff", ShutdownReason.POWEROFF,
        "halt", ShutdownReason.POWEROFF,
        "reboot", ShutdownReason.REBOOT);

    private final GuestContext ctx;
    private final XenstoreClient xenstore;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    private ShutdownWatch(final GuestContext ctx, final XenstoreClient xenstore)
    {
        this.ctx = ctx;
        this.xenstore = xenstore;
    }

    /**
     * Watch {@link #PATH}, then advertise the features; without xenstore, do nothing.
     *
     * @param ctx the kernel's services.
     */
    static void start(final GuestContext ctx)
    {
        ctx.xenstore().ifPresent(xenstore ->
        {
            final ShutdownWatch watch = new ShutdownWatch(ctx, xenstore);
            try
            {
                xenstore.watch(PATH, TOKEN, (path, token) -> ctx.submit(task -> watch.check()));
                xenstore.write("control/feature-poweroff", "1");
                xenstore.write("control/feature-reboot", "1");
            }
            catch (final XenstoreException ex)
            {
                LOG.log(System.Logger.Level.DEBUG, "dom{0}: no shutdown watch: {1}", ctx.domid(), ex.getMessage());
            }
        });
    }

    /**
     * @param command a {@code control/shutdown} value.
     * @return the shutdown reason the kernel acts on for it, or null when it ignores it.
     */
    static ShutdownReason reasonFor(final String command)
    {
        return COMMANDS.get(command);
    }

    /** vCPU 0: read the request and acknowledge it in one transaction, then act on it. */
    private StepResult check()
    {
        if (shuttingDown.get())
        {
            return StepResult.DONE;
        }
        final String command;
        try
        {
            command = xenstore.transaction(tx -> acknowledge(tx.read(PATH), tx));
        }
        catch (final XenstoreException ex)
        {
            LOG.log(System.Logger.Level.DEBUG, "dom{0}: shutdown request not read: {1}", ctx.domid(), ex.getMessage());
            return StepResult.DONE;
        }
        act(command);
        return StepResult.DONE;
    }

    private static String acknowledge(final String command, final XenstoreClient.Transaction tx)
    {
        if (reasonFor(command) != null)
        {
            tx.write(PATH, "");
        }
        return command;
    }

    private void act(final String command)
    {
        final ShutdownReason reason = reasonFor(command);
        if (reason != null && shuttingDown.compareAndSet(false, true))
        {
            ctx.console().log("shutdown: " + PATH + " = " + command + ": shutting down (" + reason.name().toLowerCase(Locale.ROOT) + ")");
            ctx.shutdown(reason);
        }
        else if (reason == null && !command.isEmpty())
        {
            ctx.console().log("shutdown: ignoring shutdown request: " + printable(command));
        }
    }

    private static String printable(final String value)
    {
        final String shown = value.length() > MAX_LOGGED_CHARS ? value.substring(0, MAX_LOGGED_CHARS) + "..." : value;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
