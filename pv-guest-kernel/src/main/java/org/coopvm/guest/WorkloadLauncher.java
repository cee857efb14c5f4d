package org.coopvm.guest;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;
import org.coopvm.rings.domain.StartInfo;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the workload named in the start info among the {@link java.util.ServiceLoader} providers
 * ({@link Workload#named}) and starts it on vCPU 0, after a boot banner on the console. A missing or unknown name, bad
 * arguments, or a throwing {@code start} fail the boot (the domain shuts down with reason crash).
 *
 * <p>Thread safety: vCPU 0's thread.
 */
final class WorkloadLauncher
{
    private final GuestContext context;
    private final StartInfo startInfo;
    private final Consumer<String> fail;

    WorkloadLauncher(final GuestContext context, final StartInfo startInfo, final Consumer<String> fail)
    {
        this.context = context;
        this.startInfo = startInfo;
        this.fail = fail;
    }

    void launch(final int vcpus)
    {
        final Optional<String> name = startInfo.workloadName();
        final Optional<Map<String, String>> args = startInfo.workloadArgs();
        if (name.isEmpty() || name.get().isEmpty() || args.isEmpty())
        {
            fail.accept("start info holds no valid workload name or arguments");
            return;
        }
        final Optional<Workload> workload = Workload.named(name.get());
        if (workload.isEmpty())
        {
            fail.accept("unknown workload '" + name.get() + "'");
            return;
        }
        context.console().log("CoopVM guest kernel: domain " + context.domid() + ", " + vcpus + " vCPUs, " +
            context.memory().onlineFrames() + " pages, workload " + name.get() + " " + args.get());
        try
        {
            workload.get().start(context, args.get());
        }
        catch (final RuntimeException ex)
        {
            fail.accept("workload " + name.get() + " failed to start: " + ex);
        }
    }
}
