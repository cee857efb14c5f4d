package org.coopvm.hypervisor.trace;

import java.nio.file.Path;

/**
 * Test helper run in a child JVM: writes a short host session to the queue named by args[0] and
 * exits 0, or prints the error and exits 2.
 */
public final class TraceWriterMain
{
    static final long START_NS = 1_800_000_000_000_000_000L;

    private TraceWriterMain()
    {
    }

    public static void main(final String[] args)
    {
        final long[] now = {START_NS};
        try (Tracer tracer = Tracer.open(Path.of(args[0]), TraceLevel.HYPERCALLS, () -> now[0]++))
        {
            tracer.hostStarted();
            tracer.domainCreated(5);
            tracer.hypercall(5, 0, "sched_op", "yield", 0, 1_200);
            tracer.guestProcessDied(5, 137);
            tracer.hostStopped();
        }
        catch (final RuntimeException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
        }
    }
}
