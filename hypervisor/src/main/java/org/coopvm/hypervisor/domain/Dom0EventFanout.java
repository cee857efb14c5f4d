package org.coopvm.hypervisor.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * dom0's one event sink, fanned out by port: each dom0 port may have its own handler (xenstored's
 * ring of a guest, a backend's channel); ports without one go to the fallback sink (the console
 * backend, which looks its ports up itself). A handler that throws is counted
 * ({@link #failures()}) and the exception stops here: it is a dom0 bug, and letting it reach the
 * hypercall that sent the event would count it as the sending guest's fault.
 *
 * <p>Thread safety: any thread; {@link #onEvent} runs under the hypervisor lock and only looks up.
 */
public final class Dom0EventFanout implements Dom0EventSink
{
    private final Map<Integer, Dom0EventSink> byPort = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private volatile Dom0EventSink fallback = Dom0EventSink.NONE;

    @Override
    public void onEvent(final int port)
    {
        try
        {
            byPort.getOrDefault(port, fallback).onEvent(port);
        }
        catch (final RuntimeException ex)
        {
            failures.incrementAndGet();
        }
    }

    /** @return events whose handler threw. */
    public long failures()
    {
        return failures.get();
    }

    /** @param sink where events for ports without their own handler go. */
    public void fallback(final Dom0EventSink sink)
    {
        fallback = sink == null ? Dom0EventSink.NONE : sink;
    }

    /**
     * @param port a dom0 port.
     * @param sink its handler from now on.
     */
    public void register(final int port, final Dom0EventSink sink)
    {
        byPort.put(port, sink);
    }

    /** @param port a dom0 port whose handler goes (its events go to the fallback again). */
    public void unregister(final int port)
    {
        byPort.remove(port);
    }
}
