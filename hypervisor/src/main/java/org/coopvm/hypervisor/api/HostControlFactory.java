package org.coopvm.hypervisor.api;

import io.micrometer.core.instrument.MeterRegistry;
import org.coopvm.hypervisor.config.HostConfig;

/**
 * Service-provider interface through which {@code coop host start} finds the hypervisor: the
 * host's main loads exactly one implementation with {@link java.util.ServiceLoader} (declared in
 * {@code META-INF/services/org.coopvm.hypervisor.api.HostControlFactory}).
 *
 * <p>Thread safety: {@link #create} is called once, on the host's main thread.
 */
public interface HostControlFactory
{
    /**
     * @param config   the validated host config; its run directory exists and is the host's.
     * @param registry where the hypervisor registers its metrics; served at {@code /metrics}.
     * @return a started hypervisor.
     */
    HostControl create(HostConfig config, MeterRegistry registry);
}
