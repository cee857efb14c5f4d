package org.coopvm.guest.workload;

import java.util.Map;

/**
 * A guest workload: research code run by the guest kernel once it has booted, found by
 * {@link java.util.ServiceLoader} (list implementations in
 * {@code META-INF/services/org.coopvm.guest.workload.Workload}) and chosen by the name in the
 * domain's start info.
 *
 * <p>{@link #start} runs on vCPU 0's thread, as the kernel's first task: it should submit its
 * tasks and return promptly. Implementations need a public no-argument constructor; the kernel
 * makes one instance per boot.
 */
public interface Workload
{
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
