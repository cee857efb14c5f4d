package org.coopvm.perf.throughput;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Peer: one-way throughput of Aeron IPC, an {@link ExclusivePublication} offered by one thread
 * and a {@link Subscription} polled by another, through an embedded media driver in
 * {@link ThreadingMode#SHARED} mode with a backoff idle strategy (so it leaves CPU to the two
 * benchmark threads). The driver's directory lives under {@code /dev/shm} and is deleted afterwards.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeronIpcThroughput implements FragmentHandler
{
    /** IPC channel whose publication window (half the term) equals the other subjects' 1 MiB rings. */
    static final String CHANNEL = "aeron:ipc?term-length=2m";
    private static final int STREAM_ID = 1001;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private File aeronDir;
    private MediaDriver driver;
    private Aeron aeron;
    private ExclusivePublication publication;
    private Subscription subscription;
    private UnsafeBuffer message;
    private long checksum;

    /** Start the driver, connect, and wait until the publication sees the subscription. */
    @Setup(Level.Trial)
    public void setUp()
    {
        aeronDir = new File("/dev/shm", "coop-bench-aeron-" + ProcessHandle.current().pid());
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.getPath())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.getPath()));
        subscription = aeron.addSubscription(CHANNEL, STREAM_ID);
        publication = aeron.addExclusivePublication(CHANNEL, STREAM_ID);
        awaitConnected();
        message = OneWayMessages.newMessage();
    }

    /** Close the client and the driver, and make sure the directory is gone. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(publication, subscription, aeron, driver);
        IoUtil.delete(aeronDir, true);
    }

    /** @return the new stream position, negative when back pressured. */
    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public long producer()
    {
        return publication.offer(message, 0, OneWayMessages.MESSAGE_LENGTH);
    }

    /** @param received counts the fragments (messages) polled. */
    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public void consumer(final ReceivedMessages received)
    {
        received.messages += subscription.poll(this, OneWayMessages.POLL_LIMIT);
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        checksum += buffer.getLong(offset);
    }

    private void awaitConnected()
    {
        final long deadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (!publication.isConnected() || !subscription.isConnected())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("Aeron IPC publication not connected within 10 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
