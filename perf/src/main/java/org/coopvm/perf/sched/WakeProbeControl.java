package org.coopvm.perf.sched;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.nio.file.Path;

import static org.coopvm.perf.sched.WakeProbeDescriptor.HANDLED_OFFSET;
import static org.coopvm.perf.sched.WakeProbeDescriptor.HANDLER_NS_OFFSET;
import static org.coopvm.perf.sched.WakeProbeDescriptor.PORT_OFFSET;

/**
 * The wake-up probe's file ({@link WakeProbeDescriptor}): created by the benchmark, attached by the
 * probe guest's workload. The port and the handler fields have one writer each (the probe's
 * vCPU); the benchmark's thread reads them.
 */
final class WakeProbeControl implements AutoCloseable
{
    private final SharedRegion region;
    private final AtomicBuffer buffer;

    private WakeProbeControl(final SharedRegion region)
    {
        this.region = region;
        this.buffer = region.payloadBuffer();
    }

    static WakeProbeControl create(final Path runDir)
    {
        return new WakeProbeControl(SharedRegion.createFile(runDir.resolve(WakeProbeDescriptor.FILE_NAME), RegionType.RAW, 0,
            WakeProbeDescriptor.LENGTH));
    }

    static WakeProbeControl attach(final Path runDir)
    {
        return new WakeProbeControl(SharedRegion.attachFile(runDir.resolve(WakeProbeDescriptor.FILE_NAME), RegionType.RAW));
    }

    /** Probe: its handler is bound to {@code port}. */
    void portRelease(final int port)
    {
        buffer.putIntRelease(PORT_OFFSET, port);
    }

    /** @return the probe's port, 0 until bound. */
    int portVolatile()
    {
        return buffer.getIntVolatile(PORT_OFFSET);
    }

    /** Probe's handler: stamp the time, then count the upcall (release). */
    void handled(final long nowNs)
    {
        buffer.putLong(HANDLER_NS_OFFSET, nowNs);
        buffer.putLongRelease(HANDLED_OFFSET, buffer.getLong(HANDLED_OFFSET) + 1);
    }

    /** @return upcalls handled so far (acquire: the stamp read after it is that upcall's or later). */
    long handledVolatile()
    {
        return buffer.getLongVolatile(HANDLED_OFFSET);
    }

    /** @return when the handler ran for the latest upcall counted. */
    long handlerNs()
    {
        return buffer.getLongVolatile(HANDLER_NS_OFFSET);
    }

    /** Unmaps; the benchmark's run directory goes with the host. */
    @Override
    public void close()
    {
        region.close();
    }
}
