package org.coopvm.drivers.net;

/**
 * Told when the net backend starts and stops serving a vif (metrics bind its counters).
 *
 * <p>Threading: called on the backend's control agent thread (or the thread detaching a domain or
 * closing the backend), under the backend's monitor.
 */
public interface VifListener
{
    /** A listener that does nothing. */
    VifListener NONE = new VifListener()
    {
    };

    /**
     * @param domid    the guest.
     * @param handle   the vif's number ({@code vif = [...]} item, Xen's {@code vif<domid>.<handle>}).
     * @param counters its counters.
     */
    default void added(final int domid, final int handle, final VifCounters counters)
    {
    }

    /**
     * @param domid  the guest.
     * @param handle the vif's number.
     */
    default void removed(final int domid, final int handle)
    {
    }
}
