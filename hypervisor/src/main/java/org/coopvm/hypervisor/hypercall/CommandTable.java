package org.coopvm.hypervisor.hypercall;

import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.SchedOpDescriptor;

/**
 * Sub-command dispatch for one hypercall: a small array of handlers indexed by command (Xen's
 * numbers, and CoopVM's own from {@link SchedOpDescriptor#SCHEDOP_COOP_FIRST}); an unknown
 * command is -ENOSYS and counts as malformed.
 *
 * <p>Thread safety: immutable after building.
 */
final class CommandTable implements OpHandler
{
    private final OpHandler[] byCmd;
    private final String opName;

    private CommandTable(final String opName, final OpHandler[] byCmd)
    {
        this.opName = opName;
        this.byCmd = byCmd;
    }

    static Builder builder(final String opName)
    {
        return new Builder(opName);
    }

    @Override
    public long handle(final HypercallContext ctx)
    {
        final int cmd = ctx.cmd();
        final OpHandler handler = cmd >= 0 && cmd < byCmd.length ? byCmd[cmd] : null;
        if (handler == null)
        {
            return ctx.malformed(opName + ": unknown command " + cmd, -Errno.ENOSYS);
        }
        return handler.handle(ctx);
    }

    static final class Builder
    {
        private final String opName;
        private final OpHandler[] byCmd = new OpHandler[SchedOpDescriptor.SCHEDOP_COOP_FIRST + 16];

        private Builder(final String opName)
        {
            this.opName = opName;
        }

        Builder on(final int cmd, final OpHandler handler)
        {
            byCmd[cmd] = handler;
            return this;
        }

        /**
         * A command with fixed-size arguments: shorter requests are malformed.
         */
        Builder on(final int cmd, final int argsBytes, final OpHandler handler)
        {
            byCmd[cmd] = ctx -> ctx.hasArgs(argsBytes) ? handler.handle(ctx) :
                ctx.malformed(opName + " command " + cmd + ": " + ctx.request().argsLength() + " argument bytes, needs " + argsBytes);
            return this;
        }

        CommandTable build()
        {
            return new CommandTable(opName, byCmd);
        }
    }
}
