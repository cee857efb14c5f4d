package org.coopvm.guest.driver;

/**
 * A started {@link GuestDriver}: what the kernel holds until it stops. Implementations may offer
 * more (their status, for tests and in-process hosts); {@code GuestKernel.driver(name)} finds them.
 *
 * <p>Thread safety: {@link #shutdown()} is called at most once, on the vCPU thread that shuts the
 * domain down; {@link #stop()} once, by the kernel's thread, after the vCPUs have ended.
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

    /**
     * The domain shuts down (its workload or the toolstack asked): detach from the host cleanly
     * while it still answers, e.g. a split device goes Closing then Closed. Called before
     * {@code SCHEDOP_shutdown}, on a vCPU thread; hypercalls and xenstore requests are allowed.
     * Return within a couple of seconds; must not throw. Does nothing by default.
     */
    default void shutdown()
    {
    }
}
