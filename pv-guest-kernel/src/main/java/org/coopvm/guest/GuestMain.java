package org.coopvm.guest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Entry point of a process guest: {@code GuestMain --run-dir DIR --domid N [--disable-driver NAME]...}.
 * Attaches the files of {@code DIR/dom<N>/}, boots the kernel (without the named guest drivers,
 * {@link KernelConfig#disabledDrivers()}), waits until it stops (shutdown, host gone), and exits
 * with {@link KernelExit#processExitCode()} (64 for bad arguments, 70 for a failed boot).
 */
public final class GuestMain
{
    /** Exit status for unusable command-line arguments. */
    public static final int EXIT_USAGE = 64;
    /** Exit status when the domain's regions cannot be attached or are invalid. */
    public static final int EXIT_BOOT_FAILED = 70;

    private GuestMain()
    {
    }

    /**
     * @param args {@code --run-dir DIR --domid N}, then {@code --disable-driver NAME} any number of times.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        Path runDir = null;
        int domid = -1;
        final Set<String> disabledDrivers = new HashSet<>();
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--run-dir" -> runDir = Path.of(args[i + 1]);
                case "--domid" -> domid = parseDomid(args[i + 1]);
                case "--disable-driver" -> disabledDrivers.add(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (runDir == null || domid < 0 || args.length % 2 != 0)
        {
            usage("need --run-dir DIR --domid N");
        }
        System.exit(run(runDir, domid, KernelConfig.DEFAULT.withDisabledDrivers(disabledDrivers)));
    }

    /**
     * Boot the guest of domain {@code domid} and wait until its kernel stops.
     *
     * @param runDir the run directory.
     * @param domid  the domain.
     * @param config the kernel's settings.
     * @return the process exit status.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static int run(final Path runDir, final int domid, final KernelConfig config) throws InterruptedException
    {
        final GuestKernel kernel;
        try
        {
            kernel = GuestKernel.boot(BootRegions.attach(runDir, domid), config);
        }
        catch (final RuntimeException ex)
        {
            System.err.println("dom" + domid + ": boot failed: " + ex.getMessage());
            return EXIT_BOOT_FAILED;
        }
        while (!kernel.awaitTermination(Duration.ofSeconds(1)))
        {
            // wait until the kernel stops
        }
        final KernelExit exit = kernel.exit().orElseThrow();
        System.err.println("dom" + domid + ": kernel stopped: " + exit.kind() + " " + exit.detail() + "; exit status " +
            exit.processExitCode());
        return exit.processExitCode();
    }

    private static int parseDomid(final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            usage("bad domid " + value);
            return -1;
        }
    }

    private static void usage(final String problem)
    {
        System.err.println("GuestMain: " + problem + "\nusage: GuestMain --run-dir DIR --domid N [--disable-driver NAME]...");
        System.exit(EXIT_USAGE);
    }
}
