package org.coopvm.perf.latency;

import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A way to carry ping-pong messages over shared memory: creates its rings or words (in
 * anonymous memory for two threads, in files for two processes) and builds the two endpoints.
 *
 * <p>Stateless: any thread may create or attach; each endpoint is then used by one thread.
 */
public interface PingPongTransport
{
    /** @return what this transport is, for the report. */
    Subject subject();

    /** @return how its receivers wait. */
    WaitMode waitMode();

    /**
     * Create the shared structures.
     *
     * @param filePrefix where to create files (the transport appends its own suffixes) so that
     *                   another process can {@link #attach} them; empty for anonymous memory.
     * @return the link; closing it releases the memory and deletes the files.
     */
    PingPongLink create(Optional<Path> filePrefix);

    /**
     * Attach, from another process, to what {@link #create} made with the same prefix.
     *
     * @param filePrefix the prefix given to {@link #create}.
     * @return the link; closing it unmaps but deletes nothing.
     */
    PingPongLink attach(Path filePrefix);
}
