package org.coopvm.cli.demo;

import org.coopvm.hypervisor.api.HostControl;

/**
 * The balloon policy's last decision for each guest, as the host's control reports them.
 * Confined to the demo's thread.
 */
final class DemoDecisions
{
    private final HostControl control;

    DemoDecisions(final HostControl control)
    {
        this.control = control;
    }

    /**
     * @param domid a guest.
     * @return its last decision's reason and detail, or empty before the first.
     */
    String lastFor(final int domid)
    {
        return control == null ? "" : ""; // filled in once the host runs a policy engine
    }
}
