package org.coopvm.cli;

import io.micrometer.core.instrument.MeterRegistry;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.HostControlFactory;
import org.coopvm.hypervisor.api.InMemoryHostControl;
import org.coopvm.hypervisor.config.HostConfig;

/**
 * Test-only hypervisor for the CLI tests: a bookkeeping {@link InMemoryHostControl}.
 */
public final class InMemoryHostControlFactory implements HostControlFactory
{
    @Override
    public HostControl create(final HostConfig config, final MeterRegistry registry)
    {
        return new InMemoryHostControl(config.poolMib(), config.runDir().toString());
    }
}
