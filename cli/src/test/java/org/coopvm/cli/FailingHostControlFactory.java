package org.coopvm.cli;

import io.micrometer.core.instrument.MeterRegistry;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.api.HostControlFactory;
import org.coopvm.hypervisor.config.HostConfig;

/**
 * Test-only hypervisor that cannot start, as a real one short of memory would fail.
 */
public final class FailingHostControlFactory implements HostControlFactory
{
    /** What it fails with. */
    public static final String FAILURE = "cannot reserve a 512 MiB pool: only 3 MiB of /dev/shm left";

    @Override
    public HostControl create(final HostConfig config, final MeterRegistry registry)
    {
        throw new HostControlException(Errno.ENOMEM, FAILURE);
    }
}
