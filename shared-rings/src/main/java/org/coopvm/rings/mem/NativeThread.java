package org.coopvm.rings.mem;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The calling thread's Linux thread id ({@code gettid(2)}) through the FFM API, so a guest vCPU
 * can tell the host which thread to account ({@code /proc/<pid>/task/<tid>/schedstat}).
 *
 * <p>Stateless; any thread.
 */
public final class NativeThread
{
    /** {@code SYS_gettid} on x86-64. */
    static final long SYS_GETTID = 186;

    private static final MethodHandle SYSCALL = syscallHandle();

    private NativeThread()
    {
    }

    /** @return the calling thread's native thread id (positive). */
    public static int currentTid()
    {
        try
        {
            return (int)(long)SYSCALL.invokeExact(SYS_GETTID);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("gettid failed", ex);
        }
    }

    /** Restricted FFM call: the JVM runs with {@code --enable-native-access=ALL-UNNAMED} (jvm.options). */
    @SuppressWarnings("restricted")
    private static MethodHandle syscallHandle()
    {
        final Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
    }
}
