package org.coopvm.guest.driver;

/**
 * A started {@link GuestDriver}: what the kernel holds until it stops. Implementations may offer
 * more (their status, for tests and in-process hosts); {@code GuestKernel.driver(name)} finds them.
 *
 * <p>Thread safety: {@link #stop()} is called once, by the kernel's thread, after the vCPUs have
 * ended.
 */
@FunctionalInterface
public interface RunningDriver
{
    /**
     * The kernel stops: release what the driver holds in the guest (listeners, tasks, pages). The
     * vCPUs have ended and the host may be gone: make no hypercall and no xenstore request. Must not
     * throw.
     */
    void stop();
}
