package org.coopvm.perf.report;

/** How a receiver waits for the next message. Immutable; any thread. */
public enum WaitMode
{
    /** Busy-spins ({@code Thread.onSpinWait()}) until a message arrives. */
    SPINNING,
    /** Spins briefly at most, then sleeps on a futex until woken. */
    BLOCKING;

    /** @return the name printed in tables and used in JSON. */
    public String id()
    {
        return Names.kebab(name());
    }
}
