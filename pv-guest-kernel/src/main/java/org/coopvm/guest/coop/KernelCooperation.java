package org.coopvm.guest.coop;

import org.coopvm.guest.stats.MemoryRequest;
import org.coopvm.guest.task.CpuLimit;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.GuestXenstoreAccess;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How the guest kernel brings up the domain's cooperation policy at boot: reads the policy dom0
 * chose ({@value #POLICY} and {@value #ARGS}{@code /<key>} in the domain's xenstore home, written
 * from xl.cfg {@code coop_policy} and {@code coop_policy_args}), configures it, and submits its
 * {@link CooperationRunner} on vCPU 0. No policy node: nothing runs. A policy the guest does not
 * know, bad parameters, or a domain without the usage page: one console line saying so, and
 * nothing runs; the boot goes on.
 *
 * <p>Thread safety: {@link #start} on the booting vCPU 0 task (it makes xenstore requests).
 */
public final class KernelCooperation
{
    /** The node naming the policy, relative to the domain's home. */
    public static final String POLICY = "cooperation/policy";
    /** The directory of its parameters, one node per key, relative to the domain's home. */
    public static final String ARGS = "cooperation/args";

    private KernelCooperation()
    {
    }

    /**
     * @param guest    the kernel's services.
     * @param request  the request the kernel's stats publisher publishes.
     * @param cpuLimit the limit the kernel's vCPUs honour.
     * @param report   where a policy that cannot run is reported (the console).
     * @return the running policy's task, empty when none runs.
     */
    public static Optional<CooperationRunner> start(final GuestContext guest, final MemoryRequest request, final CpuLimit cpuLimit,
        final Consumer<String> report)
    {
        if (guest.xenstore().isEmpty())
        {
            return Optional.empty();
        }
        final XenstoreAccess xenstore = new GuestXenstoreAccess(guest.xenstore().get());
        try
        {
            final String name = xenstore.read(POLICY).orElse("").trim();
            return name.isEmpty() ? Optional.empty() : run(guest, name, args(xenstore), request, cpuLimit, report);
        }
        catch (final XenstoreAccessException ex)
        {
            report.accept("cooperation: cannot read " + POLICY + ": " + ex.getMessage());
            return Optional.empty();
        }
    }

    private static Map<String, String> args(final XenstoreAccess xenstore)
    {
        final Map<String, String> args = new LinkedHashMap<>();
        for (final String key : xenstore.directory(ARGS))
        {
            args.put(key, xenstore.read(ARGS + "/" + key).orElse(""));
        }
        return args;
    }

    private static Optional<CooperationRunner> run(final GuestContext guest, final String name, final Map<String, String> args,
        final MemoryRequest request, final CpuLimit cpuLimit, final Consumer<String> report)
    {
        final Optional<UsagePageReader> usage = guest.usage();
        if (usage.isEmpty())
        {
            report.accept("cooperation: policy " + name + " not started: the domain has no usage page");
            return Optional.empty();
        }
        final CooperationPolicies.Selection selection;
        try
        {
            selection = CooperationPolicies.select(name, args);
        }
        catch (final CooperationConfigException ex)
        {
            report.accept("cooperation: policy " + name + " not started: " + ex.getMessage());
            return Optional.empty();
        }
        final KernelCooperationContext ctx = new KernelCooperationContext(guest, usage.get(), request, cpuLimit);
        final CooperationRunner runner = new CooperationRunner(selection, ctx);
        guest.submit(0, runner);
        ctx.log("policy " + selection.describe() + ", every " + selection.periodMs() + " ms");
        return Optional.of(runner);
    }
}
