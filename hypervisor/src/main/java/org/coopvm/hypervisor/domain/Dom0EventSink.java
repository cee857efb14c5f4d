package org.coopvm.hypervisor.domain;

/**
 * Where events for domain 0 (the host's backends) go: dom0 has no shared info page, so a port of
 * dom0 becoming pending is a call to this sink.
 *
 * <p>Thread safety: called under the hypervisor lock, on whichever thread made the event (the
 * dispatcher for a guest's send): return quickly, hand work to the backend's own agent.
 */
@FunctionalInterface
public interface Dom0EventSink
{
    /** A sink that drops events. */
    Dom0EventSink NONE = port -> { };

    /**
     * @param port the dom0 port that was notified.
     */
    void onEvent(int port);
}
