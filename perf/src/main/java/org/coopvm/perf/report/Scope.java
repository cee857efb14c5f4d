package org.coopvm.perf.report;

/** Where the two ends of a measurement run. Immutable; any thread. */
public enum Scope
{
    /** Two threads of one JVM, over anonymous shared memory. */
    THREADS("two threads"),
    /** Two JVMs mapping the same file under {@code /dev/shm}. */
    PROCESSES("two processes");

    private final String displayName;

    Scope(final String displayName)
    {
        this.displayName = displayName;
    }

    /** @return the name printed in tables. */
    public String displayName()
    {
        return displayName;
    }

    /** @return the identifier used in JSON. */
    public String id()
    {
        return Names.kebab(name());
    }
}
