package org.coopvm.drivers;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.domain.DomainStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * What every dom0 backend agent (console, block, net) does the same way: it is woken when a domain
 * starts dying (to release that domain's devices), and it rescans its
 * {@code /local/domain/0/backend/<type>} directory when a device directory comes or goes, not for
 * every key the ends write below it; it reads untrusted decimal keys ({@code ring-ref},
 * {@code event-channel}, device directory names) the same way.
 *
 * <p>Stateless; any thread.
 */
public final class BackendAgents
{
    /** Path components of a device directory below the type directory: {@code <frontend domid>/<device id>}. */
    private static final int DEVICE_DEPTH = 2;
    /** Most digits of a decimal key: more is not a 32-bit value. */

    private BackendAgents()
    {
    }

    /**
     * @param hypervisor the hypervisor.
     * @param wake       run (under the hypervisor lock: it must only wake the agent) when a domain becomes DYING.
     */
    public static void wakeWhenDying(final Hypervisor hypervisor, final Runnable wake)
    {
        hypervisor.addLifecycleListener(new DomainLifecycleListener()
        {
            @Override
            public void onStateChanged(final Domain domain, final DomainStatus from, final DomainStatus to)
            {
                if (to == DomainStatus.DYING)
                {
                    wake.run();
                }
            }
        });
    }

    /**
     * @param devicesPath the watched type directory, e.g. {@code /local/domain/0/backend/vbd}.
     * @param path        the path a watch event named.
     * @return whether a device directory (or the type directory itself) may have come or gone.
     */
    public static boolean isDeviceDirectoryChange(final String devicesPath, final String path)
    {
        return !path.startsWith(devicesPath + "/") || path.chars().skip(devicesPath.length()).filter(c -> c == '/').count() <= DEVICE_DEPTH;
    }

    /**
     * @param list a list, or {@code null} when none was needed yet.
     * @param item one more item.
     * @param <T>  the items' type.
     * @return the list with the item (created on first use).
     */
    public static <T> List<T> add(final List<T> list, final T item)
    {
        final List<T> result = list == null ? new ArrayList<>() : list;
        result.add(item);
        return result;
    }

}
