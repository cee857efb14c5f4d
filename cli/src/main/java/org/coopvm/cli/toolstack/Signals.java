package org.coopvm.cli.toolstack;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code kill(2)} through the FFM API, for the signals Java has no API for: a paused process
 * guest is stopped with {@code SIGSTOP} and resumed with {@code SIGCONT}, as Xen deschedules a
 * paused domain's vCPUs. Stateless; any thread.
 */
final class Signals
{
    /** {@code SIGCONT} on x86-64 Linux. */
    static final int SIGCONT = 18;
    /** {@code SIGSTOP} on x86-64 Linux. */
    static final int SIGSTOP = 19;

    private static final MethodHandle KILL = killHandle();

    private Signals()
    {
    }

    /**
     * @param pid    the process.
     * @param signal the signal number.
     * @return whether the kernel accepted it (false: no such process, or not ours).
     */
    static boolean send(final long pid, final int signal)
    {
        try
        {
            return 0 == (int)KILL.invokeExact((int)pid, signal);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("kill(" + pid + ", " + signal + ") failed", ex);
        }
    }

    /** Restricted FFM call: JVMs run with {@code --enable-native-access=ALL-UNNAMED} (jvm.options). */
    @SuppressWarnings("restricted")
    private static MethodHandle killHandle()
    {
        final Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("kill").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }
}
