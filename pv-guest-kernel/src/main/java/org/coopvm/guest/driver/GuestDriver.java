package org.coopvm.guest.driver;

import org.coopvm.guest.workload.GuestContext;

/**
 * A guest driver the kernel starts at every boot, as a Linux kernel brings up its built-in Xen
 * drivers ({@code xen-balloon}, ...): found by {@link java.util.ServiceLoader} (list
 * implementations in {@code META-INF/services/org.coopvm.guest.driver.GuestDriver}), so a module
 * the kernel may not depend on (the balloon driver lives in {@code balloon}) plugs in by being on
 * the guest's class path. Process guests get the host's class path, in-process guests the host's
 * JVM: both find the same drivers.
 *
 * <p>The kernel calls {@link #start} once per boot on vCPU 0's thread, after xenstore and the
 * console are connected and before the workload starts, in the order {@code ServiceLoader} finds
 * the providers. A driver whose {@code start} throws is reported on the console and skipped; the
 * kernel and the other drivers go on. {@code KernelConfig.disabledDrivers()} names drivers not to
 * start. Implementations need a public no-argument constructor; the kernel makes one instance per
 * boot.
 */
public interface GuestDriver
{
    /** @return the driver's name (e.g. {@code balloon}): what the kernel logs and what disables it. */
    String name();

    /**
     * Start the driver: set up its state, watches and tasks, and return promptly.
     *
     * @param ctx the kernel's services for this domain.
     * @return the running driver, which the kernel stops when it stops.
     * @throws RuntimeException when the driver cannot run in this guest (logged, the boot goes on).
     */
    RunningDriver start(GuestContext ctx);
}
