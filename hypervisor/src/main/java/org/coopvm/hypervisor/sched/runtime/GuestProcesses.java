package org.coopvm.hypervisor.sched.runtime;

/**
 * What the CPU scheduler needs to know and do about process guests, implemented by the
 * toolstack (which launched them): each guest's pid, for CPU accounting from
 * {@code /proc/<pid>/task/<tid>/schedstat}, and stopping and continuing the process
 * ({@code SIGSTOP}/{@code SIGCONT}) while the domain is paused or suspended for ignoring preemption.
 *
 * <p>Thread safety: called on the scheduler's thread or an API thread, under the scheduler's lock:
 * implementations must return quickly and take no hypervisor lock.
 */
public interface GuestProcesses
{
    /** No process guests known: accounting falls back to wall time, nothing is stopped. */
    GuestProcesses NONE = new GuestProcesses()
    {
    };

    /**
     * @param domid a domain.
     * @return the pid of its guest process, or -1 when unknown.
     */
    default long pid(final int domid)
    {
        return -1;
    }

    /**
     * Stop the domain's guest process ({@code SIGSTOP}).
     *
     * @param domid the domain.
     * @return whether it was stopped.
     */
    default boolean stop(final int domid)
    {
        return false;
    }

    /**
     * Let the domain's guest process run again ({@code SIGCONT}).
     *
     * @param domid the domain.
     * @return whether it was continued.
     */
    default boolean resume(final int domid)
    {
        return false;
    }
}
