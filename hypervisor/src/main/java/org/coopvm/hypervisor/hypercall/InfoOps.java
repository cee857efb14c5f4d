package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.domain.DomainCounter;
import org.coopvm.rings.hypercall.ConsoleIoOpDescriptor;

import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.XenVersionOpDescriptor.*;

/**
 * The small hypercalls: xen_version and console_io.
 *
 * <p>Thread safety: the dispatcher thread.
 */
final class InfoOps
{
    private final HypercallServices services;

    InfoOps(final HypercallServices services)
    {
        this.services = services;
    }

    OpHandler xenVersion()
    {
        return CommandTable.builder("xen_version")
            .on(XENVER_VERSION, ctx -> (ABI_MAJOR << 16) | ABI_MINOR)
            .on(XENVER_GET_FEATURES, 4, InfoOps::features)
            .build();
    }

    OpHandler consoleIo()
    {
        return CommandTable.builder("console_io")
            .on(ConsoleIoOpDescriptor.CONSOLEIO_WRITE, 4, this::consoleWrite)
            .on(ConsoleIoOpDescriptor.CONSOLEIO_READ, ctx -> -EPERM)
            .build();
    }

    private static long features(final HypercallContext ctx)
    {
        if (ctx.request().argInt(GET_FEATURES_SUBMAP_OFFSET) != 0)
        {
            return -EINVAL;
        }
        ctx.outInt(GET_FEATURES_BITS_OUT_OFFSET, FEATURE_HYPERCALL_CHANNEL | FEATURE_MULTICALL);
        return 0;
    }

    private long consoleWrite(final HypercallContext ctx)
    {
        final int length = ctx.request().argInt(ConsoleIoOpDescriptor.WRITE_LENGTH_OFFSET);
        if (length < 0 || length > ConsoleIoOpDescriptor.MAX_WRITE_BYTES)
        {
            return ctx.malformed("console_io write of " + Integer.toUnsignedString(length) + " bytes");
        }
        if (!ctx.hasArgs(ConsoleIoOpDescriptor.WRITE_BYTES_OFFSET + length))
        {
            return ctx.malformed("console_io write: message shorter than its " + length + " bytes");
        }
        ctx.domain().add(DomainCounter.CONSOLE_BYTES, length);
        services.console().write(ctx.domain(), ctx.request().buffer(),
            ctx.request().argsIndex() + ConsoleIoOpDescriptor.WRITE_BYTES_OFFSET, length);
        return 0;
    }
}
