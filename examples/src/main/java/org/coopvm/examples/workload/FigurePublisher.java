package org.coopvm.examples.workload;

import org.coopvm.guest.workload.Console;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.guest.xenstore.XenstoreException;

import java.util.Map;
import java.util.Optional;

/**
 * Writes a workload's figures under its domain's {@code data/<dir>/} in xenstore (Xen's
 * {@code data/} subtree, where guest agents publish what the host may read), all of them in one
 * transaction so a reader never sees half an update. A failure (no xenstore, a full quota, a
 * timeout) is counted and said on the console, the first time and then once a minute at most:
 * the workload goes on.
 *
 * <p>Thread safety: one caller at a time (the workload's task).
 */
final class FigurePublisher
{
    /** Failures between two console lines about them, at one publish a second: a minute. */
    static final int FAILURES_PER_LOG = 60;

    private final Optional<XenstoreClient> xenstore;
    private final String dir;
    private final Console console;
    private long failures;

    /**
     * @param xenstore the kernel's client; empty: publishing does nothing.
     * @param dir      the directory under the domain's home, e.g. {@code data/cache}.
     * @param console  where failures are said.
     */
    FigurePublisher(final Optional<XenstoreClient> xenstore, final String dir, final Console console)
    {
        this.xenstore = xenstore;
        this.dir = dir;
        this.console = console;
    }

    /**
     * @param figures node name to value, written as {@code <dir>/<name>}.
     */
    void publish(final Map<String, String> figures)
    {
        if (xenstore.isEmpty())
        {
            return;
        }
        try
        {
            xenstore.get().transaction(tx ->
            {
                figures.forEach((name, value) -> tx.write(dir + "/" + name, value));
                return null;
            });
        }
        catch (final XenstoreException ex)
        {
            if (failures++ % FAILURES_PER_LOG == 0)
            {
                console.log(dir + ": cannot publish figures to xenstore (" + ex.errno() + "), " + failures + " failure(s) so far");
            }
        }
    }
}
