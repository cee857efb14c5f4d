package org.coopvm.perf.latency;

/** Spin-loop step that reads the clock only once every 1024 spins. Stateless; any thread. */
final class SpinDeadline
{
    private static final int CLOCK_CHECK_MASK = 1023;

    private SpinDeadline()
    {
    }

    /**
     * Spin once and say whether to keep waiting.
     *
     * @param spins      spins so far, including this one.
     * @param deadlineNs {@link System#nanoTime()} after which to give up.
     * @return {@code false} once the deadline passed.
     */
    static boolean spin(final int spins, final long deadlineNs)
    {
        Thread.onSpinWait();
        return (spins & CLOCK_CHECK_MASK) != 0 || System.nanoTime() - deadlineNs < 0;
    }
}
