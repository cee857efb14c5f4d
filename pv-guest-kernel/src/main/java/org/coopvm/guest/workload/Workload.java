package org.coopvm.guest.workload;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A guest workload: research code run by the guest kernel once it has booted, found by
 * {@link ServiceLoader} (list implementations in
 * {@code META-INF/services/org.coopvm.guest.workload.Workload}) and chosen by the name in the
 * domain's start info.
 *
 * <p>{@link #start} runs on vCPU 0's thread, as the kernel's first task: it should submit its
 * tasks and return promptly. Implementations need a public no-argument constructor; the kernel
 * makes one instance per boot.
 */
public interface Workload
{
    /**
     * @param name a workload name.
     * @return a new instance of the provider with that name, found by {@link ServiceLoader}
     *         (as the kernel finds the domain's workload); empty when none has it.
     */
    static Optional<Workload> named(final String name)
    {
        for (final Workload candidate : ServiceLoader.load(Workload.class))
        {
            if (candidate.name().equals(name))
            {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** @return the name a domain config uses to choose this workload ({@code workload = "<name>"}). */
    String name();

    /**
     * Start the workload.
     *
     * @param ctx  the kernel's services for this domain.
     * @param args the workload arguments from the domain config ({@code key=value}).
     */
    void start(GuestContext ctx, Map<String, String> args);
}
