package org.coopvm.guest.workload;

/**
 * The domain's console: lines written with {@code console_io} write, which the host keeps in
 * the domain's console log.
 *
 * <p>Thread safety: any thread (from a non-vCPU thread the write is routed through vCPU 0).
 */
@FunctionalInterface
public interface Console
{
    /**
     * Write one line (a newline is appended; long lines go out in several hypercalls).
     *
     * @param line the text.
     * @return 0, or minus a Xen errno from the first failing write.
     */
    long log(String line);
}
