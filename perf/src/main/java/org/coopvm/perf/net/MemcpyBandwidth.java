package org.coopvm.perf.net;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The floor of the network benchmark's stream: one thread copying {@value #FRAME_BYTES}-byte frames
 * from one off-heap buffer to another ({@link UnsafeBuffer#putBytes}), each frame at the start of
 * its own 4 KiB slot, {@value #SLOTS} slots per buffer, as netfront copies a frame into a granted tx
 * page and netback copies it into a posted rx page. Stateless; any thread (the calling one copies).
 */
final class MemcpyBandwidth
{
    /** Bytes copied per frame, all counted as payload. */
    static final int FRAME_BYTES = 1500;
    /** Slots per buffer: a 256-entry ring's worth of pages. */
    static final int SLOTS = 256;
    private static final int SLOT_BYTES = 4096;
    private static final int FRAMES_PER_CLOCK_READ = 256;

    private MemcpyBandwidth()
    {
    }

    /**
     * Copy for a fifth of the time unmeasured (JIT, caches), then for the time, and report.
     *
     * @param durationNs how long to measure.
     * @return payload Gbit/s (10^9 bits per second).
     */
    static double gbitPerSecond(final long durationNs)
    {
        final UnsafeBuffer source = new UnsafeBuffer(ByteBuffer.allocateDirect(SLOTS * SLOT_BYTES));
        final UnsafeBuffer destination = new UnsafeBuffer(ByteBuffer.allocateDirect(SLOTS * SLOT_BYTES));
        final byte[] data = new byte[SLOTS * SLOT_BYTES];
        new SplittableRandom(7).nextBytes(data);
        source.putBytes(0, data);
        copy(source, destination, durationNs / 5);
        final long startNs = System.nanoTime();
        final long frames = copy(source, destination, durationNs);
        return frames * FRAME_BYTES * 8.0 / (System.nanoTime() - startNs);
    }

    private static long copy(final UnsafeBuffer source, final UnsafeBuffer destination, final long durationNs)
    {
        final long startNs = System.nanoTime();
        long frames = 0;
        do
        {
            for (int i = 0; i < FRAMES_PER_CLOCK_READ; i++)
            {
                final int slot = (int)(frames++ % SLOTS) * SLOT_BYTES;
                destination.putBytes(slot, source, slot, FRAME_BYTES);
            }
        }
        while (System.nanoTime() - startNs < durationNs);
        return frames;
    }
}
