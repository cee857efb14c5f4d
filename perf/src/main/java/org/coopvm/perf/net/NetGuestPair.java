package org.coopvm.perf.net;

import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.drivers.net.NetBackend;
import org.coopvm.drivers.net.VifListener;
import org.coopvm.drivers.net.VifCounters;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.hypercall.ConsoleSink;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.perf.RunDirs;
import org.coopvm.perf.hypercall.BenchGuestMain;
import org.coopvm.perf.latency.ChildJvm;
import org.coopvm.perf.latency.ChildProcesses;
import org.coopvm.perf.report.WaitMode;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Two process guests with one vif each on dom0's switch, running one of the example network
 * workloads against each other: a real {@link Hypervisor} and dom0's {@link NetBackend} in this
 * JVM on a fresh run directory, two domains (1 vCPU, {@value #MEMORY_KIB} KiB, a vif with a
 * generated MAC), and each guest kernel booted in its own JVM ({@link BenchGuestMain}, default
 * waits: spin briefly, then sleep). When both guests have powered off, the measuring guest's
 * figures are read from its {@code data/<workload>/} directory in xenstore, and both vifs' backend
 * counters are kept (frames switched, delivered, dropped). Whatever happens, both
 * child JVMs are destroyed and the run directory deleted. Stateless; blocks the calling thread.
 */
final class NetGuestPair
{
    private static final long MEMORY_KIB = 32 * 1024;
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);
    private static final int CONSOLE_TAIL_CHARS = 2000;

    private static final long COUNTERS_POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private NetGuestPair()
    {
    }

    /**
     * What a pair did.
     *
     * @param figures  what the measuring guest published under {@code data/<workload>/}: node name to value.
     * @param measured the measuring guest's vif counters at the end (empty if its vif never attached).
     * @param peer     the other guest's vif counters at the end.
     * @param peerFigures what the other guest published under {@code data/<workload>/} (may be empty).
     */
    record Result(Map<String, String> figures, Map<VifCounters.Value, Long> measured, Map<VifCounters.Value, Long> peer,
        Map<String, String> peerFigures)
    {
        /**
         * @param value a counter.
         * @return its sum over both vifs.
         */
        long both(final VifCounters.Value value)
        {
            return measured.getOrDefault(value, 0L) + peer.getOrDefault(value, 0L);
        }
    }

    /**
     * @param base      where to make the run directory (tmpfs).
     * @param childJvm  how to start a guest JVM.
     * @param workload  the example workload both guests run ({@code net-stream}, {@code net-pingpong}).
     * @param measuring the arguments of the guest whose figures are read (domain 1, started first).
     * @param peer      the other guest's arguments.
     * @param timeout   how long the guests may run once started, JVM start-up included.
     * @return what the guests did.
     * @throws IllegalStateException when a guest fails, times out or publishes nothing.
     */
    static Result run(final Path base, final ChildJvm childJvm, final String workload, final Map<String, String> measuring,
        final Map<String, String> peer, final Duration timeout)
    {
        final Path runDir = RunDirs.create(base, "netbench-guests-");
        try
        {
            return runIn(runDir, childJvm, workload, List.of(measuring, peer), timeout);
        }
        finally
        {
            RunDirs.deleteTree(runDir);
        }
    }

    private static Result runIn(final Path runDir, final ChildJvm childJvm, final String workload,
        final List<Map<String, String>> args, final Duration timeout)
    {
        final StringBuffer console = new StringBuffer();
        final ConsoleSink sink = (domain, bytes, offset, length) ->
            console.append("dom").append(domain.domid()).append(": ").append(bytes.getStringWithoutLengthUtf8(offset, length));
        final List<Process> guests = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        try (Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(runDir).withConsole(sink)
                .withPoolPages(args.size() * MEMORY_KIB / 4));
            NetBackend backend = new NetBackend(hypervisor, SystemNanoClock.INSTANCE, VifListener.NONE);
            XenstoredAccess dom0 = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { }))
        {
            try
            {
                hypervisor.start();
                backend.start();
                final List<Integer> domids = new ArrayList<>();
                for (int i = 0; i < args.size(); i++)
                {
                    domids.add(createDomain(hypervisor, dom0, workload + "-" + i, workload, args.get(i)));
                }
                for (final int domid : domids)
                {
                    final Path log = runDir.resolve("dom" + domid + ".log");
                    logs.add(log);
                    guests.add(ChildProcesses.start(childJvm, BenchGuestMain.class, List.of(runDir.toString(), Integer.toString(domid),
                        WaitMode.SPIN_THEN_SLEEP.id(), Long.toString(timeout.toMillis())), log));
                }
                final List<VifCounters> counters = counters(backend, domids, guests.getFirst(), timeout);
                for (int i = 0; i < guests.size(); i++)
                {
                    awaitPowerOff(guests.get(i), "dom" + domids.get(i), i == 0 ? timeout.plus(EXIT_GRACE) : EXIT_GRACE, logs.get(i),
                        console);
                }
                return new Result(published(dom0, domids.getFirst(), workload, console), snapshot(counters, 0), snapshot(counters, 1),
                    readData(dom0, domids.get(1), workload));
            }
            finally
            {
                guests.forEach(ChildProcesses::destroy);
            }
        }
    }

    private static int createDomain(final Hypervisor hypervisor, final XenstoredAccess dom0, final String name, final String workload,
        final Map<String, String> args)
    {
        final Domain domain = hypervisor.createDomain(new DomainSpec(name, 1, MEMORY_KIB, MEMORY_KIB, 0, false, workload, args, 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        NetifDevice.create(dom0, domain.domid(), 0, MacAddress.generated(domain.domid(), 0), Map.of());
        return domain.domid();
    }

    /**
     * The backend forgets a vif's counters when its guest goes, so keep each object once the vif
     * is attached (they stay valid and final); stop looking when the measuring guest has exited.
     */
    private static List<VifCounters> counters(final NetBackend backend, final List<Integer> domids, final Process measuring,
        final Duration timeout)
    {
        final List<VifCounters> found = new ArrayList<>();
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        for (final int domid : domids)
        {
            VifCounters counters = null;
            while (counters == null && measuring.isAlive() && System.nanoTime() - deadlineNs < 0)
            {
                counters = backend.counters(domid, 0).orElse(null);
                if (counters == null)
                {
                    LockSupport.parkNanos(COUNTERS_POLL_NS);
                }
            }
            found.add(counters);
        }
        return found;
    }

    private static Map<VifCounters.Value, Long> snapshot(final List<VifCounters> counters, final int index)
    {
        return counters.get(index) == null ? Map.of() : counters.get(index).snapshot();
    }

    private static void awaitPowerOff(final Process guest, final String name, final Duration timeout, final Path log,
        final StringBuffer console)
    {
        try
        {
            ChildProcesses.awaitSuccess(guest, name, timeout, log);
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException(ex.getMessage() + "; console: " + tail(console), ex);
        }
    }

    private static Map<String, String> published(final XenstoredAccess dom0, final int domid, final String workload,
        final StringBuffer console)
    {
        final Map<String, String> figures = readData(dom0, domid, workload);
        if (figures.isEmpty())
        {
            throw new IllegalStateException("dom" + domid + " published nothing under data/" + workload + "; console: " + tail(console));
        }
        return figures;
    }

    private static Map<String, String> readData(final XenstoredAccess dom0, final int domid, final String workload)
    {
        final String data = "/local/domain/" + domid + "/data/" + workload;
        final Map<String, String> figures = new LinkedHashMap<>();
        dom0.directory(data).forEach(name -> figures.put(name, dom0.read(data + "/" + name).orElse("")));
        return figures;
    }

    private static String tail(final StringBuffer console)
    {
        final String text = console.toString().strip();
        return text.substring(Math.max(0, text.length() - CONSOLE_TAIL_CHARS));
    }
}
