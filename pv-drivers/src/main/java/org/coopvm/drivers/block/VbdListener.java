package org.coopvm.drivers.block;

/**
 * Told when the block backend starts and stops serving a virtual disk (metrics bind its counters).
 *
 * <p>Threading: called on the backend's control agent thread (or the thread detaching a domain).
 */
public interface VbdListener
{
    /** A listener that does nothing. */
    VbdListener NONE = new VbdListener()
    {
    };

    /**
     * @param domid    the guest.
     * @param vdev     the virtual device's name ({@code xvda}).
     * @param counters its counters.
     */
    default void added(final int domid, final String vdev, final VbdCounters counters)
    {
    }

    /**
     * @param domid the guest.
     * @param vdev  the virtual device's name.
     */
    default void removed(final int domid, final String vdev)
    {
    }
}
