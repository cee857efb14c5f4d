package org.coopvm.drivers.console;

import org.coopvm.drivers.InProcessKernels;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.console.ConsoleFrontend;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.console.ConsoleDevice;
import org.coopvm.rings.console.ConsoleRingDescriptor;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The console split driver end to end in one JVM: in-process guest kernels on the real
 * hypervisor, their console frontends on ring pages granted to dom0 and announced through the
 * xenbus handshake in xenstore (whichever of backend and guest starts first), and the dom0 backend
 * agent logging their output (together with their early {@code console_io} writes, into one
 * log per domain, as the toolstack does) and typing input.
 */
class ConsoleSplitDriverTest
{
    private static final long DEADLINE_S = 60;

    private final Map<Integer, ByteArrayOutputStream> logs = new ConcurrentHashMap<>();
    private final List<GuestKernel> kernels = new ArrayList<>();
    private volatile CountDownLatch stall = new CountDownLatch(0);
    private Hypervisor hypervisor;
    private ConsoleBackend backend;
    private XenstoredAccess toolstack;

    @BeforeEach
    void start()
    {
        ConsoleTestWorkload.INPUT.clear(); // keyed by domid, which every test's hypervisor starts again at 1
        ConsoleTestWorkload.WRITTEN.clear();
        hypervisor = new Hypervisor(HypervisorConfig.defaults(null)
            .withConsole((domain, bytes, offset, length) ->
            {
                final byte[] copy = new byte[length];
                bytes.getBytes(offset, copy);
                append(domain.domid(), copy, 0, length);
            }));
        backend = new ConsoleBackend(hypervisor, this::appendFromBackend);
        hypervisor.dom0EventSink(backend::onEvent);
        hypervisor.start();
        toolstack = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { });
    }

    @AfterEach
    void stop()
    {
        stall.countDown();
        kernels.forEach(GuestKernel::close);
        backend.close();
        toolstack.close();
        hypervisor.close();
    }

    @Test
    void aHundredKilobytesOfGuestOutputArriveCompleteAndInOrderAfterTheBootBanner()
    {
        final int lines = 1_000;
        final Domain domain = boot("chatty", lines);

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> log(domain).contains("console-test: done"));

        final String log = log(domain);
        assertThat(backend.isConnected(domain.domid())).isTrue();
        assertThat(log).startsWith("CoopVM guest kernel: domain " + domain.domid());
        final List<String> out = log.lines().filter(line -> line.startsWith("out ")).toList();
        assertThat(out).hasSize(lines);
        for (int n = 0; n < lines; n++)
        {
            assertThat(out.get(n)).isEqualTo(ConsoleTestWorkload.line(n));
        }
        assertThat(backend.bytesLogged()).as("the lines went through the ring, not console_io")
            .isGreaterThanOrEqualTo((long)lines * ConsoleTestWorkload.LINE_BYTES);
        assertThat(backend.corruptions()).isZero();
        assertThat(backend.agentErrors()).isZero();
        assertThat(stateOf(ConsoleDevice.of(domain.domid()).frontendPath())).as("frontend Connected").isEqualTo("4");
        assertThat(stateOf(ConsoleDevice.of(domain.domid()).backendPath())).as("backend Connected").isEqualTo("4");
    }

    @Test
    void aBackendStartedAfterTheGuestBootedConnectsAndTheEarlyLinesStayFirst()
    {
        final Domain domain = bootGuest("early", 200);
        final XenbusDevice device = ConsoleDevice.of(domain.domid());
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> log(domain).contains("CoopVM guest kernel: domain"));
        assertThat(stateOf(device.frontendPath())).as("the frontend waits for the backend's InitWait").isEqualTo("1");
        assertThat(toolstack.read(device.frontendPath() + "/" + ConsoleDevice.RING_REF)).isEmpty();
        assertThat(kernels.getFirst().context().console().isRingConnected()).isFalse();

        backend.start();

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> log(domain).contains("console-test: done"));
        assertThat(toolstack.read(device.frontendPath() + "/" + ConsoleDevice.RING_REF)).contains("0");
        assertThat(stateOf(device.frontendPath())).isEqualTo("4");
        assertThat(stateOf(device.backendPath())).isEqualTo("4");
        final String log = log(domain);
        assertThat(log).startsWith("CoopVM guest kernel: domain " + domain.domid());
        assertThat(log.lines().filter(line -> line.startsWith("out ")).toList())
            .containsExactlyElementsOf(LongStream.range(0, 200).mapToObj(ConsoleTestWorkload::line).toList());
        assertThat(backend.bytesLogged()).as("the lines went through the ring").isGreaterThanOrEqualTo(200L * ConsoleTestWorkload.LINE_BYTES);
    }

    @Test
    void aHostileFrontendGetsCountedAndClosedAndNothingIsMapped()
    {
        backend.start();
        final Domain domain = createDomain("hostile", 0); // no kernel: the test plays the guest
        final XenbusDevice device = ConsoleDevice.of(domain.domid());
        ConsoleDevice.create(toolstack, domain.domid());
        try (XenstoredAccess guest = new XenstoredAccess(hypervisor.xenstored(), domain.domid(), () -> { }))
        {
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "2".equals(stateOf(device.backendPath())));
            assertThatThrownBy(() -> guest.write(device.backendPath() + "/state", "4")).as("the backend's state is not the guest's")
                .isInstanceOf(XenstoreAccessException.class);

            guest.write(device.frontendPath() + "/state", "connected, honest");
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> backend.invalidStates() == 1);
            guest.write(device.frontendPath() + "/" + ConsoleDevice.RING_REF, "0; rm -rf /");
            guest.write(device.frontendPath() + "/" + ConsoleDevice.PORT, "99999");
            guest.write(device.frontendPath() + "/state", "3");

            await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "5".equals(stateOf(device.backendPath())));
        }
        final Domain dom0 = hypervisor.domain(0).orElseThrow();
        assertThat(backend.refusedConnections()).isEqualTo(1);
        assertThat(backend.isConnected(domain.domid())).isFalse();
        assertThat(hypervisor.locked(() -> hypervisor.grantTables().mappingsHeldBy(dom0))).as("dom0 mappings").isZero();
        assertThat(backend.agentErrors()).isZero();
    }

    @Test
    void aStalledBackendMakesTheGuestWaitThenEverythingArrivesInOrder() throws Exception
    {
        stall = new CountDownLatch(1);
        final int lines = 1_500;
        final Domain domain = boot("stalled", lines);
        // the ring, the guest's FIFO, and the one chunk the stalled agent took out of the ring
        final long fits = (2L * ConsoleRingDescriptor.OUT_LENGTH + ConsoleFrontend.PENDING_LIMIT_BYTES) / ConsoleTestWorkload.LINE_BYTES;
        await().atMost(DEADLINE_S, TimeUnit.SECONDS)
            .until(() -> ConsoleTestWorkload.WRITTEN.getOrDefault(domain.domid(), new AtomicLong()).get() >= fits - 25);
        assertThat(ConsoleTestWorkload.WRITTEN.get(domain.domid()).get()).as("the guest cannot get ahead of a stalled backend")
            .isLessThanOrEqualTo(fits + 2);

        stall.countDown();

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> log(domain).contains("console-test: done"));
        final List<String> out = log(domain).lines().filter(line -> line.startsWith("out ")).toList();
        assertThat(out).hasSize(lines);
        for (int n = 0; n < lines; n++)
        {
            assertThat(out.get(n)).isEqualTo(ConsoleTestWorkload.line(n));
        }
    }

    @Test
    void typedInputReachesTheWorkloadsHandlerInOrder()
    {
        final Domain domain = boot("typist", 0);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> backend.isConnected(domain.domid()));

        for (int i = 0; i < 50; i++)
        {
            assertThat(backend.input(domain.domid(), ("hello " + i + "\n").getBytes(StandardCharsets.UTF_8))).isZero();
        }

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> log(domain).contains("input: hello 49"));
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++)
        {
            expected.append("hello ").append(i).append('\n');
        }
        assertThat(ConsoleTestWorkload.INPUT.get(domain.domid())).hasToString(expected.toString());
        assertThat(log(domain)).contains("input: hello 0\n").contains("input: hello 49\n");
    }

    @Test
    void aDomainDestroyedWhileItsConsoleIsBusyLeavesNoMappingPortOrDomain() throws Exception
    {
        final Domain domain = boot("busy", 10_000_000);
        final int domid = domain.domid();
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> backend.bytesLogged() > 50_000);
        final Domain dom0 = hypervisor.domain(0).orElseThrow();

        kernels.remove(0).close();
        hypervisor.destroyDomain(domid);

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> hypervisor.domain(domid).isEmpty());
        assertThat(backend.attached()).isZero();
        assertThat(backend.isConnected(domid)).isFalse();
        assertThat(hypervisor.locked(() -> hypervisor.grantTables().mappingsHeldBy(dom0))).as("dom0 mappings").isZero();
        assertThat(hypervisor.locked(() -> hypervisor.eventChannels().openPorts(dom0))).as("dom0 ports").isZero();
        assertThat(backend.input(domid, new byte[] {'x'})).isNegative();
        assertThat(backend.agentErrors()).isZero();
    }

    @Test
    void destroyThenDetachReleasesAtOnceAndKeepsTheLastOutput() throws Exception
    {
        final Domain domain = boot("quiet", 0);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> backend.isConnected(domain.domid()));
        kernels.get(0).context().console().log("last words");
        kernels.remove(0).close();

        hypervisor.destroyDomain(domain.domid());
        backend.detach(domain.domid()); // false when the agent saw the domain dying first and released it already

        assertThat(backend.attached()).isZero();

        assertThat(hypervisor.domain(domain.domid())).as("reclaimed once dom0 unmapped").isEmpty();
        assertThat(log(domain)).contains("last words\n");
        assertThat(stateOf(ConsoleDevice.of(domain.domid()).backendPath())).as("the backend closed the device").isEqualTo("6");
    }

    @Test
    void anIdleBackendWithAConnectedGuestBurnsAlmostNoCpu() throws Exception
    {
        final Domain domain = boot("idle", 0);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> backend.isConnected(domain.domid()) &&
            log(domain).contains("console-test: done"));
        final Thread agent = Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals("console-backend")).findFirst().orElseThrow();
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long cpuBeforeNs = threads.getThreadCpuTime(agent.threadId());
        final long wallBeforeNs = System.nanoTime();

        Thread.sleep(1_000);

        final long cpuNs = threads.getThreadCpuTime(agent.threadId()) - cpuBeforeNs;
        final long wallNs = System.nanoTime() - wallBeforeNs;
        assertThat(cpuNs).as("backend agent CPU while idle, of %d ms", TimeUnit.NANOSECONDS.toMillis(wallNs))
            .isLessThan(wallNs / 20);
    }

    /** Starts the backend, then boots a guest as the toolstack does: its console device first. */
    private Domain boot(final String name, final long lines)
    {
        backend.start();
        return bootGuest(name, lines);
    }

    private Domain bootGuest(final String name, final long lines)
    {
        final Domain domain = createDomain(name, lines);
        ConsoleDevice.create(toolstack, domain.domid());
        kernels.add(InProcessKernels.boot(hypervisor, domain));
        return domain;
    }

    private Domain createDomain(final String name, final long lines)
    {
        return hypervisor.createDomain(new DomainSpec(name, 1, 1024, 1024, 0, true, "console-test",
            Map.of("lines", Long.toString(lines)), 4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES,
            DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
    }

    private String stateOf(final String dir)
    {
        return toolstack.read(dir + "/" + XenbusDevice.STATE).orElse("(none)");
    }

    private void appendFromBackend(final int domid, final byte[] bytes, final int offset, final int length)
    {
        try
        {
            stall.await(); // a test may hold the backend's agent here, as a slow disk would
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        append(domid, bytes, offset, length);
    }

    private void append(final int domid, final byte[] bytes, final int offset, final int length)
    {
        final ByteArrayOutputStream log = logs.computeIfAbsent(domid, d -> new ByteArrayOutputStream());
        synchronized (log)
        {
            log.write(bytes, offset, length);
        }
    }

    private String log(final Domain domain)
    {
        final ByteArrayOutputStream log = logs.get(domain.domid());
        if (log == null)
        {
            return "";
        }
        synchronized (log)
        {
            return log.toString(StandardCharsets.UTF_8);
        }
    }
}
