package org.coopvm.cli.toolstack;

import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.balloon.engine.DecisionListener;
import org.coopvm.balloon.engine.DecisionRecord;
import org.coopvm.balloon.host.BalloonMetrics;
import org.coopvm.balloon.host.ConvergenceListener;
import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.balloon.policy.PolicyConfigException;
import org.coopvm.drivers.block.BlockBackend;
import org.coopvm.drivers.net.NetBackend;
import org.coopvm.drivers.net.VifMetrics;
import org.coopvm.drivers.block.BlockMetrics;
import org.coopvm.drivers.console.ConsoleBackend;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.HostControlFactory;
import org.coopvm.guest.coop.CooperationConfigException;
import org.coopvm.guest.coop.CooperationPolicies;
import org.coopvm.hypervisor.config.ConfigException;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.config.Setting;
import org.coopvm.hypervisor.config.XlConfigParser;
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
 * metrics, console files, the console and block backends, the guest watch and the balloon (convergence
 * reports; the policy engine when {@code balloon_policy} names one), all wired together.
 *
 * <p>Called once, on the host's main thread.
 */
public final class ToolstackFactory implements HostControlFactory
{
    @Override
    public HostControl create(final HostConfig config, final MeterRegistry registry)
    {
        final PolicyCatalog policies = PolicyCatalog.load();
        checkPolicy(policies, config, "", "host config");
        final Tracer tracer = Tracer.openInRunDir(config.runDir(), config.traceLevel(), SystemEpochNanoClock.INSTANCE);
        final ConsoleFiles consoles = new ConsoleFiles(config.runDir());
        final Housekeeping housekeeping = new Housekeeping();
        try
        {
            tracer.hostStarted();
            return start(config, registry, tracer, consoles, housekeeping, policies);
        }
        catch (final RuntimeException ex)
        {
            housekeeping.close();
            consoles.close();
            tracer.close();
            throw ex;
        }
    }

    /**
     * The host config's balloon policy must be one the catalog has, with valid parameters, before
     * anything starts.
     *
     * @param policies the catalog.
     * @param config   the host config.
     * @param text     the host file's text ("" for none), to name the line.
     * @param source   the host file's name.
     * @throws ConfigException naming the file, line and key ({@code balloon_policy} or
     *                         {@code balloon_policy_args}) and what is wrong.
     */
    public static void checkPolicy(final PolicyCatalog policies, final HostConfig config, final String text, final String source)
    {
        if (config.balloonPolicy().isEmpty())
        {
            return;
        }
        try
        {
            policies.select(config.balloonPolicy(), config.balloonPolicyArgs());
        }
        catch (final PolicyConfigException ex)
        {
            final String key = "policy".equals(ex.key()) ? "balloon_policy" : "balloon_policy_args";
            final Setting setting = text.isEmpty() ? null : XlConfigParser.parse(text, source).get(key);
            throw new ConfigException(source, setting == null ? 0 : setting.line(), key, key + ": " + ex.getMessage());
        }
    }

    /**
     * A domain config's cooperation policy must be one the guest kernel knows, with valid
     * parameters, before the domain is built (the guest would only say so on its console).
     *
     * @param config the domain config.
     * @param text   the domain file's text ("" when not known), to name the line.
     * @param source the domain file's name.
     * @throws ConfigException naming the file, line and key ({@code coop_policy} or
     *                         {@code coop_policy_args}) and what is wrong.
     */
    public static void checkCoopPolicy(final DomainConfig config, final String text, final String source)
    {
        if (config.coopPolicy().isEmpty())
        {
            return;
        }
        try
        {
            CooperationPolicies.select(config.coopPolicy(), config.coopPolicyArgMap());
        }
        catch (final CooperationConfigException ex)
        {
            final String key = CooperationConfigException.POLICY.equals(ex.key()) ? "coop_policy" : "coop_policy_args";
            final Setting setting = text.isEmpty() ? null : XlConfigParser.parse(text, source).get(key);
            throw new ConfigException(source, setting == null ? 0 : setting.line(), key, key + ": " + ex.getMessage());
        }
    }

    private static Toolstack start(final HostConfig config, final MeterRegistry registry, final Tracer tracer,
        final ConsoleFiles consoles, final Housekeeping housekeeping, final PolicyCatalog policies)
    {
        final HypervisorMetrics metrics = new HypervisorMetrics(registry);
        final TraceListeners traces = new TraceListeners(tracer);
        final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(config.runDir())
            .withPoolPages(config.poolMib() * 256L)
            .withCpu(config.cpu())
            .withConsole(consoles)
            .withFaultListener(bothFaults(metrics, traces))
            .withHypercallListener(config.traceLevel().includes(TraceLevel.HYPERCALLS) ? bothCalls(metrics, traces) : metrics));
        metrics.bind(hypervisor);
        hypervisor.addLifecycleListener(metrics);
        hypervisor.addLifecycleListener(traces);
        final ConsoleBackend consoleBackend = new ConsoleBackend(hypervisor, consoles);
        hypervisor.dom0EventSink(consoleBackend::onEvent);
        final BlockBackend blockBackend = new BlockBackend(hypervisor, new BlockMetrics(registry));
        final NetBackend netBackend = new NetBackend(hypervisor, new SystemNanoClock(), new VifMetrics(registry));
        final BalloonMetrics balloonMetrics = new BalloonMetrics(registry);
        final Toolstack toolstack = new Toolstack(config, hypervisor, tracer, consoles, consoleBackend, blockBackend, netBackend,
            housekeeping, policies,
            bothDecisions(balloonMetrics, traces), bothReports(balloonMetrics, traces));
        balloonMetrics.bind(toolstack.hostBalloon());
        hypervisor.cpuScheduler().guestProcesses(toolstack.guestProcesses());
        hypervisor.cpuScheduler().listener(SchedListeners.fanOut(traces, toolstack.schedListener()));
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
        blockBackend.start();
        netBackend.start();
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

    private static DecisionListener bothDecisions(final DecisionListener first, final DecisionListener second)
    {
        return (final DecisionRecord record) ->
        {
            first.onDecision(record);
            second.onDecision(record);
        };
    }

    private static ConvergenceListener bothReports(final ConvergenceListener first, final ConvergenceListener second)
    {
        return report ->
        {
            first.onReport(report);
            second.onReport(report);
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
