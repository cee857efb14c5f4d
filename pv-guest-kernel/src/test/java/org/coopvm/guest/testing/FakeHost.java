package org.coopvm.guest.testing;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.BootRegions;
import org.coopvm.rings.balloon.BalloonStatsDescriptor;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.channel.ChannelKind;
import org.coopvm.rings.channel.ChannelProducer;
import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.domain.InProcessRegions;
import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.domain.EventChannelBits;
import org.coopvm.rings.domain.SharedInfoDescriptor;
import org.coopvm.rings.domain.StartInfo;
import org.coopvm.rings.domain.StartInfoDescriptor;
import org.coopvm.rings.domain.VcpuSlot;
import org.coopvm.rings.doorbell.PeerLivenessDescriptor;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.grant.GrantEntryDescriptor;
import org.coopvm.rings.hypercall.ConsoleIoOpDescriptor;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.HypercallRequest;
import org.coopvm.rings.hypercall.HypercallResponse;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.usage.UsagePageDescriptor;
import org.coopvm.rings.usage.UsagePageWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the hypervisor, for guest kernel tests: creates one domain's regions
 * (anonymous, or files in a run directory), heartbeats as the host, and answers hypercalls on a
 * dispatcher thread: console writes are collected, shutdown is recorded, xen_version answers
 * 1.0, and tests plug in handlers for the rest (default {@code -ENOSYS}). {@link #raise} sets an
 * event pending and kicks the vCPU as the real host does. It also makes a usage page
 * ({@code <run>/usage}; tests publish it with {@link #usageWriter()}) and the domain's balloon
 * stats region ({@link #balloonStats()}).
 *
 * <p>Thread safety: the accessors from any thread; {@link #close()} once.
 */
public final class FakeHost implements AutoCloseable
{
    /** A recorded hypercall. */
    public record Call(int op, int cmd, int vcpu, long callId)
    {
    }

    /** A test's answer to one op/cmd. */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * @param request the request (arguments readable through it).
         * @param output  where to write output (offset 0 = output start); at most 4096 bytes.
         * @return the result and how many output bytes were written.
         */
        long[] handle(HypercallRequest request, MutableDirectBuffer output);
    }

    private static final int CHANNEL_CAPACITY = 64 * 1024;

    private final int domid;
    private final int vcpus;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final SharedRegion startInfoRegion;
    private final SharedRegion sharedInfo;
    private final SharedRegion grantTable;
    private final SharedRegion memory;
    private final SharedRegion hostDoorbell;
    private final SharedRegion usage;
    private final SharedRegion balloonStats;
    private final UsagePageWriter usageWriter;
    private final MessageChannel hypercall;
    private final List<MessageChannel> responses = new ArrayList<>();
    private final Path runDir;
    private final EventChannelBits bits;
    private final StartInfo startInfo;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final StringBuffer console = new StringBuffer();
    private final Map<Long, Handler> handlers = new ConcurrentHashMap<>();
    private volatile int shutdownReason = -1;
    private volatile boolean running = true;
    private volatile boolean heartbeating = true;
    private ChannelConsumer hypercallConsumer;
    private ChannelProducer[] responseProducers;
    private Thread dispatcher;

    private FakeHost(final Path runDir, final int domid, final int vcpus, final int memoryPages)
    {
        this.runDir = runDir;
        this.domid = domid;
        this.vcpus = vcpus;
        final DomainFiles files = runDir == null ? null : new DomainFiles(runDir);
        if (files != null)
        {
            createDirectories(files.domainDir(domid));
        }
        startInfoRegion = region(files == null ? null : files.startInfo(domid), RegionType.START_INFO, StartInfoDescriptor.PAYLOAD_LENGTH);
        sharedInfo = region(files == null ? null : files.sharedInfo(domid), RegionType.SHARED_INFO, SharedInfoDescriptor.PAYLOAD_LENGTH);
        grantTable = region(files == null ? null : files.grantTable(domid), RegionType.GRANT_TABLE, 1024L * GrantEntryDescriptor.ENTRY_LENGTH);
        memory = region(files == null ? null : files.memory(domid), RegionType.GUEST_MEMORY, (long)memoryPages * Pages.PAGE_SIZE);
        hostDoorbell = region(files == null ? null : files.hostDoorbell(), RegionType.DOORBELL, Pages.PAGE_SIZE);
        usage = region(files == null ? null : files.usage(), RegionType.USAGE, UsagePageDescriptor.payloadLength(16));
        usageWriter = new UsagePageWriter().wrap(usage.payload(), 16);
        balloonStats = region(files == null ? null : files.balloonStats(domid), RegionType.BALLOON_STATS,
            BalloonStatsDescriptor.PAYLOAD_LENGTH);
        hypercall = channel(files == null ? null : files.hypercall(domid), ChannelKind.MANY_TO_ONE);
        for (int k = 0; k < vcpus; k++)
        {
            responses.add(channel(files == null ? null : files.vcpuResponse(domid, k), ChannelKind.ONE_TO_ONE));
        }
        bits = new EventChannelBits().wrap(sharedInfo.payload());
        startInfo = new StartInfo().wrap(startInfoRegion.payloadBuffer());
        startInfo.domid(domid).nrVcpus(vcpus).memoryKib(memoryPages * 4L).maxmemKib(memoryPages * 4L).memoryPages(memoryPages)
            .grantEntries(1024).hypercallCapacity(CHANNEL_CAPACITY).flags(runDir == null ? StartInfoDescriptor.FLAG_IN_PROCESS : 0);
    }

    /**
     * @param domid    the domain id.
     * @param vcpus    vCPUs.
     * @param workload the workload name.
     * @param args     its arguments.
     * @return a host with anonymous regions, already answering hypercalls.
     */
    public static FakeHost inProcess(final int domid, final int vcpus, final String workload, final Map<String, String> args)
    {
        return new FakeHost(null, domid, vcpus, 64).workload(workload, args).start();
    }

    /**
     * @param runDir   the run directory (region files go to {@code runDir/dom<N>/}).
     * @param domid    the domain id.
     * @param vcpus    vCPUs.
     * @param workload the workload name.
     * @param args     its arguments.
     * @return a host with region files, already answering hypercalls.
     */
    public static FakeHost withFiles(final Path runDir, final int domid, final int vcpus, final String workload, final Map<String, String> args)
    {
        return new FakeHost(runDir, domid, vcpus, 64).workload(workload, args).start();
    }

    /**
     * Populate fewer frames at boot than the region holds (maxmem stays 64 pages), as a host
     * whose domain has {@code memory < maxmem} does. Call before booting.
     *
     * @param pages frames populated at boot.
     * @return this.
     */
    public FakeHost bootMemoryPages(final int pages)
    {
        startInfo.memoryKib(pages * 4L);
        return this;
    }

    /**
     * Schedule the guest on CPU slots (start info flag): its vCPUs then run only while they hold a
     * slot, which the test grants by hand ({@link #slot}, then {@link #kick}). Call before booting.
     *
     * @return this.
     */
    public FakeHost cpuSlots()
    {
        startInfo.flags(startInfo.flags() | StartInfoDescriptor.FLAG_CPU_SLOTS);
        return this;
    }

    /**
     * @param vcpu a vCPU.
     * @return the host's side of its slot words (grant, preempt flag; read its request and release).
     */
    public VcpuSlot slot(final int vcpu)
    {
        return new VcpuSlot().wrap(sharedInfo.payloadBuffer(), vcpu);
    }

    /** @param vcpu ring its doorbell (after a grant), as the host's scheduler does. */
    public void kick(final int vcpu)
    {
        responseProducers[vcpu].doorbell().wakeIfSleeping();
    }

    /** @return the regions for {@code GuestKernel.boot} (in-process). */
    public BootRegions bootRegions()
    {
        return BootRegions.inProcess(new InProcessRegions(startInfoRegion, sharedInfo, hypercall, responses, grantTable, memory, hostDoorbell,
            null, usage, balloonStats, dom -> dom == domid ? memory : null, () -> { }), runDir);
    }

    /** @return the writer of the usage page the guest maps (16 entries): the test publishes what the guest should see. */
    public UsagePageWriter usageWriter()
    {
        return usageWriter;
    }

    /** @return the payload of the domain's balloon stats region (the guest publishes there). */
    public MemorySegment balloonStats()
    {
        return balloonStats.payload();
    }

    /** @return the host doorbell region (the host agents' doorbells, the slot waiters word). */
    public SharedRegion hostDoorbell()
    {
        return hostDoorbell;
    }

    /** @return the guest's memory region, as the host maps it (frame f at payload offset f * 4096). */
    public SharedRegion memory()
    {
        return memory;
    }

    /**
     * Answer {@code op}/{@code cmd} with {@code handler} from now on.
     *
     * @param op      hypercall number.
     * @param cmd     sub-command.
     * @param handler the answer.
     */
    public void handle(final int op, final int cmd, final Handler handler)
    {
        handlers.put(key(op, cmd), handler);
    }

    /**
     * For a {@link Handler} that holds the host's answer back: wait until {@code latch} opens, at
     * most {@code seconds}; an interrupt ends the wait (the flag is kept).
     *
     * @param latch   what releases the answer.
     * @param seconds the longest wait.
     */
    public static void awaitQuietly(final CountDownLatch latch, final long seconds)
    {
        try
        {
            latch.await(seconds, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Set {@code port} pending for {@code vcpu} and kick it, as the hypervisor's event send does.
     *
     * @param port the guest's port.
     * @param vcpu the vCPU the port is bound to.
     * @return whether a kick was needed (the event was newly pending and not masked).
     */
    public boolean raise(final int port, final int vcpu)
    {
        if (bits.setPending(port, vcpu))
        {
            VarHandle.fullFence();
            responseProducers[vcpu].doorbell().wakeIfSleeping();
            return true;
        }
        return false;
    }

    /**
     * Record {@code pid} as the host's process in the start info (heartbeats go on): a guest
     * watching it sees the host die when that process dies.
     *
     * @param pid a process id.
     */
    public void hostPid(final long pid)
    {
        startInfoRegion.payloadBuffer().putLongVolatile(StartInfoDescriptor.HOST_LIVENESS_OFFSET + PeerLivenessDescriptor.PID_OFFSET, pid);
    }

    /** Stop heartbeating and answering, leaving everything mapped: as a host that hangs or was killed. */
    public void playDead()
    {
        heartbeating = false;
        running = false;
    }

    /** @return the console output so far. */
    public String console()
    {
        return console.toString();
    }

    /** @return the hypercalls seen so far. */
    public List<Call> calls()
    {
        return calls;
    }

    /** @return the shutdown reason the guest sent, or -1. */
    public int shutdownReason()
    {
        return shutdownReason;
    }

    /** @return the guest's liveness slot state ({@code PeerLivenessDescriptor.STATE_*}). */
    public int guestLivenessState()
    {
        return startInfo.guestLiveness().state();
    }

    /** @return the guest's last heartbeat, epoch ms. */
    public long guestHeartbeatMs()
    {
        return startInfo.guestLiveness().heartbeatMs();
    }

    /** @return the event channel bits of the domain. */
    public EventChannelBits bits()
    {
        return bits;
    }

    @Override
    public void close()
    {
        running = false;
        if (dispatcher != null)
        {
            try
            {
                dispatcher.join(5000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            try
            {
                resources.get(i).close();
            }
            catch (final Exception ignored)
            {
                // test cleanup
            }
        }
    }

    private FakeHost workload(final String name, final Map<String, String> args)
    {
        startInfo.workloadName(name).workloadArgs(args);
        return this;
    }

    private FakeHost start()
    {
        startInfo.hostLiveness().attach(SystemEpochClock.INSTANCE.time());
        hypercallConsumer = hypercall.openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
        responseProducers = new ChannelProducer[vcpus];
        for (int k = 0; k < vcpus; k++)
        {
            responseProducers[k] = responses.get(k).openProducer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
        }
        dispatcher = Thread.ofPlatform().name("fake-host-dom" + domid).daemon(true).start(this::dispatch);
        return this;
    }

    private void dispatch()
    {
        final HypercallRequest request = new HypercallRequest();
        final UnsafeBuffer response = new UnsafeBuffer(new byte[HypercallResponse.messageLength(4096)]);
        while (running)
        {
            if (heartbeating)
            {
                startInfo.hostLiveness().heartbeat(SystemEpochClock.INSTANCE.time());
                hypercallConsumer.heartbeat();
            }
            hypercallConsumer.poll((op, buffer, index, length) -> answer(op, request.wrap(buffer, index, length), response), 64);
            if (hypercallConsumer.awaitMessages(50_000_000L) == WaitResult.PEER_GONE)
            {
                // the guest closed its end: keep heartbeating until closed, without spinning
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
        }
    }

    private void answer(final int op, final HypercallRequest request, final UnsafeBuffer response)
    {
        if (!running || !request.isHeaderComplete())
        {
            return;
        }
        calls.add(new Call(op, request.cmd(), request.vcpu(), request.callId()));
        final UnsafeBuffer output = new UnsafeBuffer(response, HypercallResponse.messageLength(0), 4096);
        final long[] answer = builtIn(op, request, output);
        new HypercallResponse().wrap(response, 0, response.capacity()).callId(request.callId()).result(answer[0]);
        final int vcpu = request.vcpu();
        if (vcpu >= 0 && vcpu < vcpus)
        {
            responseProducers[vcpu].offer(op, response, 0, HypercallResponse.messageLength((int)answer[1]));
        }
    }

    private long[] builtIn(final int op, final HypercallRequest request, final UnsafeBuffer output)
    {
        final Handler custom = handlers.get(key(op, request.cmd()));
        if (custom != null)
        {
            return custom.handle(request, output);
        }
        if (op == HypercallOp.CONSOLE_IO && request.cmd() == ConsoleIoOpDescriptor.CONSOLEIO_WRITE)
        {
            final int length = request.argInt(ConsoleIoOpDescriptor.WRITE_LENGTH_OFFSET);
            final byte[] bytes = new byte[length];
            request.buffer().getBytes(request.argsIndex() + ConsoleIoOpDescriptor.WRITE_BYTES_OFFSET, bytes);
            console.append(new String(bytes, StandardCharsets.UTF_8));
            return new long[] {0, 0};
        }
        if (op == HypercallOp.SCHED_OP && request.cmd() == SchedOpDescriptor.SCHEDOP_SHUTDOWN)
        {
            shutdownReason = request.argInt(SchedOpDescriptor.SHUTDOWN_REASON_OFFSET);
            return new long[] {0, 0};
        }
        if (op == HypercallOp.XEN_VERSION)
        {
            return new long[] {1 << 16, 0};
        }
        return new long[] {-Errno.ENOSYS, 0};
    }

    private SharedRegion region(final Path file, final RegionType type, final long payloadLength)
    {
        final SharedRegion region = file == null ?
            SharedRegion.createAnonymous(type, domid, payloadLength) : SharedRegion.createFile(file, type, domid, payloadLength);
        resources.add(region);
        return region;
    }

    private MessageChannel channel(final Path file, final ChannelKind kind)
    {
        final MessageChannel channel = file == null ?
            MessageChannel.createAnonymous(kind, CHANNEL_CAPACITY, domid) : MessageChannel.createFile(file, kind, CHANNEL_CAPACITY, domid);
        resources.add(channel);
        return channel;
    }

    private static long key(final int op, final int cmd)
    {
        return ((long)op << 32) | (cmd & 0xFFFF_FFFFL);
    }

    private static void createDirectories(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
