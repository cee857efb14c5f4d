package org.coopvm.perf.sched;

import org.coopvm.balloon.guest.BalloonGuestDriver;
import org.coopvm.guest.BootRegions;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.hypercall.ConsoleSink;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.CpuSchedulerConfig;
import org.coopvm.hypervisor.sched.runtime.GuestProcesses;
import org.coopvm.hypervisor.sched.runtime.SchedCounter;
import org.coopvm.perf.RunDirs;
import org.coopvm.rings.domain.StartInfo;
import org.coopvm.rings.domain.StartInfoDescriptor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One host for the scheduler benchmark: a real {@link Hypervisor} (its {@code cpu-scheduler} agent
 * on its own thread) with a fresh run directory on tmpfs, and guests whose real kernels boot in this
 * JVM on their own mappings of their domain's files, as a process guest boots
 * ({@link BootRegions#attach}). The CPU scheduler is told this JVM is every guest's process, so it
 * charges each vCPU from its thread's schedstat exactly as for a process guest. What differs from
 * process guests is only that all threads share one JVM (and its JIT and GC).
 *
 * <p>Thread safety: one thread drives it.
 */
final class SchedHost implements AutoCloseable
{
    /** Every guest's memory: the workloads allocate nothing. */
    static final long GUEST_MEMORY_KIB = 2048;
    private static final KernelConfig QUIET = KernelConfig.DEFAULT.withStatsPeriodMs(60_000)
        .withDisabledDrivers(Set.of(BalloonGuestDriver.NAME));
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Duration THREAD_WAIT = Duration.ofSeconds(10);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String SCHEDULER_THREAD = "cpu-scheduler";

    /**
     * A booted guest.
     *
     * @param domid   its domain.
     * @param kernel  its kernel.
     * @param vcpus   its vCPU threads.
     */
    record Guest(int domid, GuestKernel kernel, List<Thread> vcpus)
    {
        /** @return the CPU time of its vCPU threads so far, ns. */
        long cpuNs()
        {
            return SchedHost.cpuNs(vcpus);
        }
    }

    /**
     * The scheduler's enforcement counters: a busy host that cannot run the guests' threads makes
     * polite vCPUs miss their preempt flag's deadline, and a suspended domain gets no CPU for a
     * while, which shows in every figure; the run notes say how often it happened.
     *
     * @param overruns    slots kept past slice + grace after the preempt flag.
     * @param suspensions domains suspended for repeated overruns.
     */
    record Enforcement(long overruns, long suspensions)
    {
        /** @param more counts of another stretch. @return both together. */
        Enforcement plus(final Enforcement more)
        {
            return new Enforcement(overruns + more.overruns, suspensions + more.suspensions);
        }

        /** @param earlier counters read before. @return what happened since. */
        Enforcement since(final Enforcement earlier)
        {
            return new Enforcement(overruns - earlier.overruns, suspensions - earlier.suspensions);
        }

        @Override
        public String toString()
        {
            return overruns + " overrun(s), " + suspensions + " suspension(s)";
        }
    }

    private final Path dir;
    private final Hypervisor hypervisor;
    private final Thread scheduler;
    private final StringBuffer console;
    private final List<Guest> guests = new ArrayList<>();
    private int booted;

    private SchedHost(final Path dir, final Hypervisor hypervisor, final Thread scheduler, final StringBuffer console)
    {
        this.dir = dir;
        this.hypervisor = hypervisor;
        this.scheduler = scheduler;
        this.console = console;
    }

    /**
     * @param base      where to make the run directory.
     * @param algorithm the scheduler's name.
     * @param slots     physical CPU slots.
     * @return the started host, no guests yet.
     */
    static SchedHost start(final Path base, final String algorithm, final int slots)
    {
        final Path dir = RunDirs.create(base, "schedbench-");
        final StringBuffer console = new StringBuffer();
        final ConsoleSink sink = (dom, bytes, offset, length) -> console.append(bytes.getStringWithoutLengthUtf8(offset, length));
        try
        {
            final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(dir).withConsole(sink)
                .withCpu(CpuSchedulerConfig.of(algorithm, SchedulerSettings.defaults(slots))));
            final List<Thread> otherSchedulers = threads(SCHEDULER_THREAD);
            hypervisor.start();
            final Thread scheduler = newThread(SCHEDULER_THREAD, otherSchedulers);
            final long pid = ProcessHandle.current().pid();
            hypervisor.cpuScheduler().guestProcesses(new GuestProcesses()
            {
                @Override
                public long pid(final int domid)
                {
                    return pid;
                }
            });
            return new SchedHost(dir, hypervisor, scheduler, console);
        }
        catch (final RuntimeException ex)
        {
            RunDirs.deleteTree(dir);
            throw ex;
        }
    }

    /**
     * Create a domain and boot its kernel in this JVM.
     *
     * @param name     the domain's name (a number is added: names stay unique across measurements).
     * @param vcpus    its vCPUs.
     * @param workload the workload its kernel starts.
     * @param weight   its credit weight.
     * @param slots    whether its kernel plays by CPU slots; {@code false} clears the start info's
     *                 slot flag, so its vCPUs run whenever Linux runs their threads (the peer without
     *                 the scheduler).
     * @return the running guest.
     */
    Guest boot(final String name, final int vcpus, final String workload, final int weight, final boolean slots)
    {
        final Domain domain = hypervisor.createDomain(new DomainSpec(name + "-" + ++booted, vcpus, GUEST_MEMORY_KIB, GUEST_MEMORY_KIB, 0, false,
            workload, Map.of(), 1, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        hypervisor.cpuScheduler().adjust(domain.domid(), SchedParams.DEFAULTS.withWeight(weight));
        if (!slots)
        {
            final StartInfo startInfo = new StartInfo().wrap(domain.regions().startInfo().payloadBuffer());
            startInfo.flags(startInfo.flags() & ~StartInfoDescriptor.FLAG_CPU_SLOTS);
        }
        final GuestKernel kernel = GuestKernel.boot(BootRegions.attach(dir, domain.domid()), QUIET);
        final Guest guest = new Guest(domain.domid(), kernel, vcpuThreads(domain.domid(), vcpus));
        guests.add(guest);
        return guest;
    }

    /** @return the hypervisor. */
    Hypervisor hypervisor()
    {
        return hypervisor;
    }

    /** @return its CPU scheduler's algorithm. */
    String algorithm()
    {
        return cpu().algorithm();
    }

    /** @return its CPU scheduler. */
    CpuScheduler cpu()
    {
        return hypervisor.cpuScheduler();
    }

    /** @return the enforcement counters so far. */
    Enforcement enforcement()
    {
        return new Enforcement(cpu().counter(SchedCounter.OVERRUNS), cpu().counter(SchedCounter.SUSPENSIONS));
    }

    /** @return the run directory. */
    Path dir()
    {
        return dir;
    }

    /** @return the guests booted since the last {@link #clearGuests()}. */
    List<Guest> guests()
    {
        return guests;
    }

    /** @return CPU time of this host's {@code cpu-scheduler} agent thread so far, ns. */
    long schedulerCpuNs()
    {
        return cpuNs(List.of(scheduler));
    }

    /** @return the end of what the guests wrote on their consoles, for failure messages. */
    String consoleTail()
    {
        final String text = console.toString().strip();
        return text.substring(Math.max(0, text.length() - 1000));
    }

    /**
     * Stop every guest kernel and destroy its domain; the hypervisor (and its scheduler thread) runs
     * on for the next measurement.
     */
    void clearGuests()
    {
        try
        {
            for (final Guest guest : guests)
            {
                if (!guest.kernel().isTerminated()) // a kernel that stopped itself has unmapped its regions: stop() would touch them
                {
                    guest.kernel().close();
                    awaitTermination(guest.kernel());
                }
            }
        }
        finally
        {
            for (final Guest guest : guests)
            {
                hypervisor.destroyDomain(guest.domid());
            }
            guests.clear();
        }
    }

    /** Stop every guest kernel, close the hypervisor (destroying the domains), delete the run directory. */
    @Override
    public void close()
    {
        try
        {
            clearGuests();
        }
        finally
        {
            try
            {
                hypervisor.close();
            }
            finally
            {
                RunDirs.deleteTree(dir);
            }
        }
    }

    /**
     * @param threads threads of this JVM.
     * @return their CPU time so far, ns (a thread that ended counts 0).
     */
    static long cpuNs(final List<Thread> threads)
    {
        long total = 0;
        for (final Thread t : threads)
        {
            total += Math.max(0, THREADS.getThreadCpuTime(t.threadId()));
        }
        return total;
    }

    /**
     * Sleep, waking early on interrupt (which is kept).
     *
     * @param duration how long.
     */
    static void pause(final Duration duration)
    {
        final long endNs = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = endNs - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted())
        {
            LockSupport.parkNanos(left);
        }
    }

    private static List<Thread> vcpuThreads(final int domid, final int vcpus)
    {
        final List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < vcpus; k++)
        {
            threads.add(newThread("dom" + domid + "-vcpu" + k, List.of()));
        }
        return threads;
    }

    /**
     * @param name   a thread name.
     * @param others live threads of that name that do not count (another host's).
     * @return the live thread of that name that is none of them (its kernel or agent starts it).
     */
    private static Thread newThread(final String name, final List<Thread> others)
    {
        final long deadlineNs = System.nanoTime() + THREAD_WAIT.toNanos();
        while (System.nanoTime() - deadlineNs < 0)
        {
            for (final Thread t : threads(name))
            {
                if (!others.contains(t))
                {
                    return t;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        throw new IllegalStateException("no new thread named " + name + " within " + THREAD_WAIT);
    }

    private static List<Thread> threads(final String name)
    {
        final List<Thread> found = new ArrayList<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.isAlive() && t.getName().equals(name))
            {
                found.add(t);
            }
        }
        return found;
    }

    private static void awaitTermination(final GuestKernel kernel)
    {
        try
        {
            if (!kernel.awaitTermination(STOP_WAIT))
            {
                throw new IllegalStateException("guest kernel dom" + kernel.domid() + " did not stop within " + STOP_WAIT);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the guests", ex);
        }
    }
}
