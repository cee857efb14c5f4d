package org.coopvm.cli.xenstore;

import picocli.CommandLine.Command;

/**
 * {@code coop xenstore read|write|ls|rm|watch|chmod}: the same verbs as Xen's xenstore-utils,
 * spoken over {@code <run dir>/xenstored.sock}.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "xenstore", mixinStandardHelpOptions = true,
    description = "Read and change the host's xenstore (as Xen's xenstore-* tools do).",
    subcommands = {XenstoreVerbs.Read.class, XenstoreVerbs.Write.class, XenstoreVerbs.Ls.class,
        XenstoreVerbs.Rm.class, XenstoreVerbs.Watch.class, XenstoreVerbs.Chmod.class})
public final class XenstoreCommand
{
}
