package org.coopvm.hypervisor.sched.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The CPU time of one guest thread: the first field of {@code /proc/<pid>/task/<tid>/schedstat}
 * (nanoseconds on a CPU, as the Linux scheduler accounts it), and the second (nanoseconds it was
 * runnable but waiting for a CPU: the host's own overload, which enforcement does not blame on the
 * guest). Opening the file is the validation:
 * {@code /proc/<pid>/task/<tid>} exists only when the thread belongs to that process, so a guest
 * that publishes another process's thread id gets no clock (and wall-time accounting). The file
 * stays open and is re-read from offset 0 ({@code pread}), so a reading costs one system call and
 * allocates nothing. The thread's {@code stat} file gives its state: whether it is runnable now
 * (waiting for a CPU or on one), which schedstat's wait shows only once the wait is over.
 *
 * <p>Thread safety: one thread at a time (the scheduler's, under its lock).
 */
final class SchedstatClock implements AutoCloseable
{
    /** Highest thread id Linux hands out ({@code PID_MAX_LIMIT} on 64-bit). */
    static final int MAX_TID = 4 * 1024 * 1024;

    private final FileChannel channel;
    private final FileChannel stat;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(128);
    private final ByteBuffer statBuffer = ByteBuffer.allocateDirect(512);
    private long waitNs = -1;

    private SchedstatClock(final FileChannel channel, final FileChannel stat)
    {
        this.channel = channel;
        this.stat = stat;
    }

    /**
     * @param pid the process the thread must belong to.
     * @param tid the thread id a guest published (untrusted).
     * @return the clock, or {@code null} when the ids are out of range or the thread is not one of that process.
     */
    static SchedstatClock open(final long pid, final int tid)
    {
        if (pid <= 0 || tid <= 0 || tid > MAX_TID)
        {
            return null;
        }
        final Path task = Path.of("/proc", Long.toString(pid), "task", Integer.toString(tid));
        FileChannel schedstat = null;
        try
        {
            schedstat = FileChannel.open(task.resolve("schedstat"), StandardOpenOption.READ);
            final SchedstatClock clock = new SchedstatClock(schedstat, FileChannel.open(task.resolve("stat"), StandardOpenOption.READ));
            if (clock.cpuNs() < 0)
            {
                clock.close();
                return null;
            }
            return clock;
        }
        catch (final IOException | SecurityException ex)
        {
            closeQuietly(schedstat);
            return null;
        }
    }

    /**
     * Read the file: the CPU time is returned, the run-queue wait kept for {@link #waitNs()}.
     *
     * @return the thread's CPU time in ns, or -1 when it cannot be read (the thread ended).
     */
    long cpuNs()
    {
        buffer.clear();
        waitNs = -1;
        try
        {
            if (channel.read(buffer, 0) <= 0)
            {
                return -1;
            }
        }
        catch (final IOException ex)
        {
            return -1;
        }
        final int end = buffer.position();
        final long cpu = field(buffer, 0, end);
        final int space = indexOf(buffer, ' ', end);
        waitNs = space < 0 ? -1 : field(buffer, space + 1, end);
        return cpu;
    }

    /** @return the run-queue wait (ns runnable but not on a CPU) at the last {@link #cpuNs()}, -1 when unknown. */
    long waitNs()
    {
        return waitNs;
    }

    /**
     * @return whether the thread is runnable now (state {@code R}: on a CPU or waiting for one), as
     *         its {@code stat} file says; {@code false} when sleeping, stopped or unreadable.
     */
    boolean runnable()
    {
        statBuffer.clear();
        try
        {
            if (stat.read(statBuffer, 0) <= 0)
            {
                return false;
            }
        }
        catch (final IOException ex)
        {
            return false;
        }
        final int end = statBuffer.position();
        int close = -1;
        for (int i = 0; i < end; i++)
        {
            if (statBuffer.get(i) == ')')
            {
                close = i; // the last one: the thread's name may hold parentheses
            }
        }
        return close >= 0 && close + 2 < end && statBuffer.get(close + 2) == 'R';
    }

    @Override
    public void close()
    {
        closeQuietly(channel);
        closeQuietly(stat);
    }

    private static void closeQuietly(final FileChannel file)
    {
        if (file == null)
        {
            return;
        }
        try
        {
            file.close();
        }
        catch (final IOException ignored)
        {
            // a /proc file: nothing to flush
        }
    }

    private static int indexOf(final ByteBuffer text, final char c, final int end)
    {
        for (int i = 0; i < end; i++)
        {
            if (text.get(i) == c)
            {
                return i;
            }
        }
        return -1;
    }

    /** @return the decimal number starting at {@code from}, or -1 when there is none (or it is absurdly long). */
    private static long field(final ByteBuffer text, final int from, final int end)
    {
        long value = 0;
        int digits = 0;
        for (int i = from; i < end; i++)
        {
            final byte b = text.get(i);
            if (b < '0' || b > '9')
            {
                break;
            }
            value = value * 10 + (b - '0');
            if (++digits > 18)
            {
                return -1;
            }
        }
        return digits == 0 ? -1 : value;
    }
}
