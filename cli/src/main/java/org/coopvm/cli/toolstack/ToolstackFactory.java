package org.coopvm.cli.toolstack;

import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.coopvm.drivers.console.ConsoleBackend;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.HostControlFactory;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainFaultListener;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.hypercall.HypercallListener;
import org.coopvm.hypervisor.metrics.HypervisorMetrics;
import org.coopvm.hypervisor.trace.TraceLevel;
import org.coopvm.hypervisor.trace.Tracer;

/**
 * The hypervisor {@code coop host start} runs (found by {@code ServiceLoader}): a
 * {@link Hypervisor} with its dispatcher thread, the {@link Toolstack} over it, tracing,
 * metrics, console files, the console backend and the guest watch, all wired together.
 *
 * <p>Called once, on the host's main thread.
 */
public final class ToolstackFactory implements HostControlFactory
{
    @Override
    public HostControl create(final HostConfig config, final MeterRegistry registry)
    {
        final Tracer tracer = Tracer.openInRunDir(config.runDir(), config.traceLevel(), SystemEpochNanoClock.INSTANCE);
        final ConsoleFiles consoles = new ConsoleFiles(config.runDir());
        final Housekeeping housekeeping = new Housekeeping();
        try
        {
            tracer.hostStarted();
            return start(config, registry, tracer, consoles, housekeeping);
        }
        catch (final RuntimeException ex)
        {
            housekeeping.close();
            consoles.close();
            tracer.close();
            throw ex;
        }
    }

    private static Toolstack start(final HostConfig config, final MeterRegistry registry, final Tracer tracer,
        final ConsoleFiles consoles, final Housekeeping housekeeping)
    {
        final HypervisorMetrics metrics = new HypervisorMetrics(registry);
        final TraceListeners traces = new TraceListeners(tracer);
        final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(config.runDir())
            .withPoolPages(config.poolMib() * 256L)
            .withConsole(consoles)
            .withFaultListener(bothFaults(metrics, traces))
            .withHypercallListener(config.traceLevel().includes(TraceLevel.HYPERCALLS) ? bothCalls(metrics, traces) : metrics));
        metrics.bind(hypervisor);
        hypervisor.addLifecycleListener(metrics);
        hypervisor.addLifecycleListener(traces);
        final ConsoleBackend consoleBackend = new ConsoleBackend(hypervisor, consoles);
        hypervisor.dom0EventSink(consoleBackend::onEvent);
        final Toolstack toolstack = new Toolstack(config, hypervisor, tracer, consoles, consoleBackend, housekeeping);
        hypervisor.addLifecycleListener(new DomainLifecycleListener()
        {
            @Override
            public void onShutdown(final Domain domain)
            {
                final int domid = domain.domid();
                housekeeping.execute(() -> toolstack.applyShutdownAction(domid));
            }
        });
        housekeeping.every(GuestWatch.PERIOD_MS, new GuestWatch(toolstack, SystemEpochClock.INSTANCE));
        hypervisor.start();
        consoleBackend.start();
        return toolstack;
    }

    private static DomainFaultListener bothFaults(final DomainFaultListener first, final DomainFaultListener second)
    {
        return new DomainFaultListener()
        {
            @Override
            public void onGuestFault(final Domain domain, final int op, final String reason)
            {
                first.onGuestFault(domain, op, reason);
                second.onGuestFault(domain, op, reason);
            }

            @Override
            public void onCrashed(final Domain domain, final String reason)
            {
                first.onCrashed(domain, reason);
                second.onCrashed(domain, reason);
            }
        };
    }

    private static HypercallListener bothCalls(final HypercallListener first, final HypercallListener second)
    {
        return (domain, vcpu, op, cmd, result, serviceNs) ->
        {
            first.onHypercall(domain, vcpu, op, cmd, result, serviceNs);
            second.onHypercall(domain, vcpu, op, cmd, result, serviceNs);
        };
    }
}
