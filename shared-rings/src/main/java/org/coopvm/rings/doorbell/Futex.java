package org.coopvm.rings.doorbell;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Linux {@code futex(2)} through the FFM API, on 32-bit words inside shared mappings.
 *
 * <p>The operations are the shared (not {@code FUTEX_PRIVATE_FLAG}) variants, so a waiter in
 * one process is woken by a waker in another that maps the same file. Words must be 4-byte
 * aligned. Any thread may call these methods; {@link #await} blocks the calling thread.
 */
public final class Futex
{
    /** {@code SYS_futex} on x86-64. */
    static final long SYS_FUTEX = 202;
    static final int FUTEX_WAIT = 0;
    static final int FUTEX_WAKE = 1;
    private static final MethodHandle SYSCALL;

    /** Per-thread {@code struct timespec}, reused so a timed wait allocates nothing. */
    private static final ThreadLocal<MemorySegment> TIMESPEC =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    static
    {
        SYSCALL = syscallHandle();
    }

    /** Restricted FFM call: the JVM runs with {@code --enable-native-access=ALL-UNNAMED} (jvm.options). */
    @SuppressWarnings("restricted")
    private static MethodHandle syscallHandle()
    {
        final Linker linker = Linker.nativeLinker();
        // long syscall(long number, ...): futex(uaddr, op, val, timeout, uaddr2, val3)
        return linker.downcallHandle(
            linker.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(1));
    }

    private Futex()
    {
    }

    /**
     * Sleep while the word at {@code address} holds {@code expected}, for at most {@code timeoutNs}.
     * It returns early when the word differs, on a wake, on a signal, or spuriously: callers
     * re-check their condition and deadline after every return.
     *
     * @param address   absolute address of a 4-byte aligned word in a shared mapping.
     * @param expected  the value the caller saw; the kernel compares atomically before sleeping.
     * @param timeoutNs relative timeout in nanoseconds; negative means wait without a limit.
     * @return {@code true} when a {@link #wake} ended the sleep, {@code false} when the value
     *         differed, the timeout passed or a signal arrived.
     */
    public static boolean await(final long address, final int expected, final long timeoutNs)
    {
        MemorySegment timeout = MemorySegment.NULL;
        if (timeoutNs >= 0)
        {
            timeout = TIMESPEC.get();
            timeout.set(ValueLayout.JAVA_LONG, 0, timeoutNs / 1_000_000_000L);
            timeout.set(ValueLayout.JAVA_LONG, 8, timeoutNs % 1_000_000_000L);
        }
        try
        {
            return 0 == (long)SYSCALL.invokeExact(
                SYS_FUTEX, MemorySegment.ofAddress(address), FUTEX_WAIT, expected, timeout, MemorySegment.NULL, 0);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("futex wait failed", ex);
        }
    }

    /**
     * Wake up to {@code count} threads sleeping on the word at {@code address}.
     *
     * @param address absolute address of a 4-byte aligned word in a shared mapping.
     * @param count   how many waiters to wake at most ({@link Integer#MAX_VALUE} for all).
     * @return how many waiters were woken.
     */
    public static int wake(final long address, final int count)
    {
        try
        {
            final long result = (long)SYSCALL.invokeExact(
                SYS_FUTEX, MemorySegment.ofAddress(address), FUTEX_WAKE, count,
                MemorySegment.NULL, MemorySegment.NULL, 0);
            return (int)Math.max(0, result);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("futex wake failed", ex);
        }
    }
}
