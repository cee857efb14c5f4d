package org.coopvm.perf.report;

/** How a receiver waits for the next message. Immutable; any thread. */
public enum WaitMode
{
    /** Busy-spins ({@code Thread.onSpinWait()}) until a message arrives. */
    SPINNING,
    /** Sleeps on a futex as soon as nothing is there (no spin phase): the cost of the wake-up path. */
    BLOCKING,
    /** Spins briefly, yields, then sleeps on a futex: the default wait strategy, what users get. */
    SPIN_THEN_SLEEP;

    /** @return the mode whose peers this mode is compared with: blocking peers for spin-then-sleep. */
    public WaitMode peerMode()
    {
        return this == SPIN_THEN_SLEEP ? BLOCKING : this;
    }

    /** @return the name printed in tables and used in JSON. */
    public String id()
    {
        return Names.kebab(name());
    }
}
