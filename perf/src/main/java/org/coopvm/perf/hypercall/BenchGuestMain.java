package org.coopvm.perf.hypercall;

import org.coopvm.guest.BootRegions;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.perf.report.WaitMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Entry point of a benchmark guest JVM: boots the real guest kernel on the files of its domain
 * ({@link BootRegions#attach}), with the guest waits of the given wait mode, and waits until the
 * kernel stops (the workload in the start info powers it off). Exits with the kernel's exit code,
 * {@value #EXIT_TIMED_OUT} when the kernel is still running at the deadline, 1 on a boot failure.
 *
 * <p>Arguments: {@code <run dir> <domid> <wait mode id> <timeout ms>}.
 */
public final class BenchGuestMain
{
    /** Exit status when the kernel did not stop before the deadline. */
    public static final int EXIT_TIMED_OUT = 3;

    private BenchGuestMain()
    {
    }

    /**
     * @param args run directory, domid, wait mode id ({@link WaitMode#id()}), timeout in ms.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        System.exit(run(Path.of(args[0]), Integer.parseInt(args[1]), waitMode(args[2]), Duration.ofMillis(Long.parseLong(args[3]))));
    }

    private static int run(final Path runDir, final int domid, final WaitMode mode, final Duration timeout)
        throws InterruptedException
    {
        final GuestKernel kernel;
        try
        {
            kernel = GuestKernel.boot(BootRegions.attach(runDir, domid), new KernelConfig(
                KernelConfig.DEFAULT.epochClock(), KernelConfig.DEFAULT.nanoClock(), WaitTuning.guest(mode),
                KernelConfig.DEFAULT_HEARTBEAT_INTERVAL_MS, KernelConfig.DEFAULT_HOST_TIMEOUT_MS, KernelConfig.DEFAULT_STOP_GRACE_MS));
        }
        catch (final RuntimeException ex)
        {
            System.err.println("dom" + domid + ": boot failed: " + ex);
            return 1;
        }
        if (!kernel.awaitTermination(timeout))
        {
            System.err.println("dom" + domid + ": still running after " + timeout);
            kernel.close();
            return EXIT_TIMED_OUT;
        }
        final int code = kernel.exit().orElseThrow().processExitCode();
        if (code != 0)
        {
            System.err.println("dom" + domid + ": kernel stopped: " + kernel.exit().orElseThrow());
        }
        return code;
    }

    private static WaitMode waitMode(final String id)
    {
        return WaitMode.valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
