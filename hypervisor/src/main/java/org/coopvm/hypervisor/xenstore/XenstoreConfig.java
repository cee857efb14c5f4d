package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsHeaderDescriptor;

/**
 * xenstored's limits, Xen's defaults unless told otherwise. Quotas apply to unprivileged
 * domains only (dom0 is exempt, as in Xen).
 *
 * @param maxNodesPerDomain        nodes a domain may own (Xen: 1000); over it writes fail ENOSPC.
 * @param maxWatchesPerDomain      watches per connection (Xen: 128); over it WATCH fails E2BIG.
 * @param maxTransactionsPerDomain open transactions per connection (Xen: 10); over it ENOSPC.
 * @param maxNodeSizeBytes         largest node value a domain may write (Xen: 2048); ENOSPC.
 * @param maxOutputBytes           bytes of replies and events queued for one connection before
 *                                 the transport treats the client as stuck.
 */
public record XenstoreConfig(int maxNodesPerDomain, int maxWatchesPerDomain, int maxTransactionsPerDomain,
                             int maxNodeSizeBytes, int maxOutputBytes)
{
    /** Xen's defaults. */
    public static final XenstoreConfig DEFAULTS = new XenstoreConfig(1000, 128, 10, 2048, 1 << 20);

    /**
     * Validates every limit once.
     */
    public XenstoreConfig
    {
        positive("maxNodesPerDomain", maxNodesPerDomain);
        positive("maxWatchesPerDomain", maxWatchesPerDomain);
        positive("maxTransactionsPerDomain", maxTransactionsPerDomain);
        positive("maxNodeSizeBytes", maxNodeSizeBytes);
        if (maxOutputBytes < 4 * (XsHeaderDescriptor.HEADER_LENGTH + XsHeaderDescriptor.PAYLOAD_MAX))
        {
            throw new IllegalArgumentException("maxOutputBytes must hold at least four full messages: " + maxOutputBytes);
        }
    }

    private static void positive(final String name, final int value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
