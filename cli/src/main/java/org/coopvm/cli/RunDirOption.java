package org.coopvm.cli;

import org.coopvm.hypervisor.config.HostConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The global {@code --run-dir DIR} option, as a mixin: it may be given on {@code coop} itself or
 * on any subcommand ({@code coop --run-dir D list} or {@code coop list --run-dir D}); the one
 * nearest the subcommand wins. Without it: {@code $COOP_RUN_DIR}, else {@code /dev/shm/coopvm-<user>}.
 *
 * <p>Thread safety: confined to the command's thread.
 */
public final class RunDirOption
{
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--run-dir", paramLabel = "DIR",
        description = "The host's run directory (default: $COOP_RUN_DIR, else /dev/shm/coopvm-<user>).")
    private Path runDir;

    /**
     * @return the directory given with {@code --run-dir} on this command or a parent, or null.
     */
    public Path explicit()
    {
        return explicit(mixee);
    }

    /**
     * For commands that declare their own {@code --run-dir}: the one given on a parent command
     * ({@code coop --run-dir D trace dump}), else the default.
     *
     * @param command the command being run.
     * @return the run directory to use.
     */
    public static Path resolve(final CommandSpec command)
    {
        final Path explicit = explicit(command);
        return explicit != null ? explicit : defaultRunDir();
    }

    private static Path explicit(final CommandSpec command)
    {
        for (CommandSpec spec = command; spec != null; spec = spec.parent())
        {
            for (final CommandSpec mixin : spec.mixins().values())
            {
                if (mixin.userObject() instanceof RunDirOption option && option.runDir != null)
                {
                    return option.runDir.toAbsolutePath().normalize();
                }
            }
        }
        return null;
    }

    /**
     * @return the run directory to use: {@link #explicit()}, else the default.
     */
    public Path resolve()
    {
        final Path explicit = explicit();
        return explicit != null ? explicit : defaultRunDir();
    }

    /**
     * @return {@code $COOP_RUN_DIR}, else {@code /dev/shm/coopvm-<user>}.
     */
    public static Path defaultRunDir()
    {
        return HostConfig.defaultRunDir(System.getenv(), System.getProperty("user.name"));
    }
}
