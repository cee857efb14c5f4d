package org.coopvm.hypervisor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainCounter;
import org.coopvm.hypervisor.domain.DomainFaultListener;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.hypercall.HypercallListener;
import org.coopvm.hypervisor.memory.DomainMemory;
import org.coopvm.hypervisor.memory.MemoryPool;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.SchedCounter;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.HypercallOp;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The hypervisor's metrics:
 * <ul>
 *   <li>{@code coop.hypercalls} (counter; tags {@code op}, {@code result}: {@code ok} or the
 *       errno name) and {@code coop.hypercall.latency} (timer of the service time; tag
 *       {@code op});</li>
 *   <li>{@code coop.events.sent}, {@code coop.events.delivered}, {@code coop.grants.mapped},
 *       {@code coop.grants.copied} (function counters over all domains, destroyed ones
 *       included);</li>
 *   <li>{@code coop.domains} (gauge; tag {@code state});</li>
 *   <li>{@code coop.guest.faults} (malformed hypercalls) and {@code coop.guest.crashes};</li>
 *   <li>{@code coop.memory.pool.pages} (gauge; tag {@code kind}: {@code total}, {@code reserved},
 *       {@code free});</li>
 *   <li>per domain (tag {@code domid}, removed when the domain is destroyed):
 *       {@code coop.domain.memory.resident} (gauge, bytes of its memory the machine holds,
 *       measured from its memory file or mapping) and {@code coop.domain.memory.pages} (gauge;
 *       tag {@code kind}: {@code current} populated pages, {@code max} its max_pages);
 *       {@code coop.domain.cpu.time} and {@code coop.domain.cpu.steal} (function counters, seconds: the
 *       CPU time the scheduler charged its vCPUs, their runnable + offline time),
 *       {@code coop.domain.cpu.overruns} (slots kept past slice + grace after the preempt flag),
 *       {@code coop.domain.cpu.suspensions} (times it was suspended for that), and what its guest
 *       claims in its balloon stats: {@code coop.domain.swap} (function counter, bytes; tag
 *       {@code direction}: {@code in}, {@code out}) and {@code coop.domain.faults.major};</li>
 *   <li>{@code coop.sched.events} (function counter over the CPU scheduler's counters; tag
 *       {@code event}: {@code grants}, {@code preemptions}, {@code overruns}, {@code ticks}, ...).</li>
 * </ul>
 *
 * <p>Threading: the listener methods run under the hypervisor lock (dispatcher or toolstack
 * threads) and allocate nothing once a meter exists; the function meters are read by the scrape
 * thread and take the hypervisor lock; {@link #bind} is called once before any scrape.
 */
public final class HypervisorMetrics implements HypercallListener, DomainFaultListener, DomainLifecycleListener
{
    private final MeterRegistry registry;
    private final Long2ObjectHashMap<Counter> calls = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Timer> latencies = new Long2ObjectHashMap<>();
    private final Map<DomainCounter, long[]> retired = new EnumMap<>(DomainCounter.class);
    private final Int2ObjectHashMap<List<Meter>> domainMeters = new Int2ObjectHashMap<>();
    private final Counter faults;
    private final Counter crashes;
    private Hypervisor hypervisor;

    /**
     * @param registry where to register the meters.
     */
    public HypervisorMetrics(final MeterRegistry registry)
    {
        this.registry = registry;
        this.faults = Counter.builder("coop.guest.faults").description("malformed hypercalls from guests").register(registry);
        this.crashes = Counter.builder("coop.guest.crashes").description("domains shut down as crashed by the host").register(registry);
        for (final DomainCounter counter : DomainCounter.values())
        {
            retired.put(counter, new long[1]);
        }
    }

    /**
     * Register the meters that read the hypervisor's domains. Call once, before scrapes.
     *
     * @param hypervisor the hypervisor whose domains to read.
     */
    public void bind(final Hypervisor hypervisor)
    {
        this.hypervisor = hypervisor;
        countOverDomains("coop.events.sent", "events sent by guests", DomainCounter.EVENTS_SENT);
        countOverDomains("coop.events.delivered", "events set pending in guests", DomainCounter.EVENTS_DELIVERED);
        countOverDomains("coop.grants.mapped", "grant maps", DomainCounter.GRANT_MAPS);
        countOverDomains("coop.grants.copied", "grant copies", DomainCounter.GRANT_COPIES);
        FunctionCounter.builder("coop.usage.publishes", hypervisor.usagePublisher(), publisher -> publisher.publishes())
            .description("usage pages published").register(registry);
        FunctionCounter.builder("coop.balloon.stats.invalid", hypervisor.usagePublisher(), publisher -> publisher.invalidStatsReads())
            .description("guest balloon stats rejected as invalid when read for the usage page").register(registry);
        for (final DomainStatus status : DomainStatus.values())
        {
            Gauge.builder("coop.domains", this, metrics -> metrics.domainsIn(status))
                .description("guest domains by state").tag("state", status.name().toLowerCase()).register(registry);
        }
        final MemoryPool pool = hypervisor.memoryPool();
        poolGauge(pool, "total", MemoryPool::totalPages);
        poolGauge(pool, "reserved", MemoryPool::reservedPages);
        poolGauge(pool, "free", MemoryPool::freePages);
        final CpuScheduler cpu = hypervisor.cpuScheduler();
        for (final SchedCounter counter : SchedCounter.values())
        {
            FunctionCounter.builder("coop.sched.events", cpu, scheduler -> scheduler.counter(counter))
                .description("CPU scheduler events").tag("event", counter.name().toLowerCase()).register(registry);
        }
    }

    /** Under the hypervisor lock: the domain's memory gauges. */
    @Override
    public void onCreated(final Domain domain)
    {
        final DomainMemory memory = domain.memory();
        final String domid = Integer.toString(domain.domid());
        domainMeters.put(domain.domid(), List.of(
            Gauge.builder("coop.domain.memory.resident", memory, DomainMemory::residentBytes).baseUnit("bytes")
                .description("bytes of the domain's memory the machine holds, measured").tag("domid", domid).register(registry),
            Gauge.builder("coop.domain.memory.pages", memory, m -> m.physmap().populatedPages())
                .description("pages of the domain's memory").tag("domid", domid).tag("kind", "current").register(registry),
            Gauge.builder("coop.domain.memory.pages", memory, m -> m.physmap().maxPages())
                .description("pages of the domain's memory").tag("domid", domid).tag("kind", "max").register(registry),
            cpuCounter("coop.domain.cpu.time", "CPU time charged to the domain's vCPUs", domid, "seconds",
                new DomainCpuReader(hypervisor.cpuScheduler(), domain.domid(), DomainCpuReader.CPU_SECONDS)),
            cpuCounter("coop.domain.cpu.steal", "time the domain's vCPUs were runnable without a slot or offline", domid, "seconds",
                new DomainCpuReader(hypervisor.cpuScheduler(), domain.domid(), DomainCpuReader.STEAL_SECONDS)),
            cpuCounter("coop.domain.cpu.overruns", "slots the domain's vCPUs kept past their slice and grace", domid, null,
                new DomainCpuReader(hypervisor.cpuScheduler(), domain.domid(), DomainCpuReader.OVERRUNS)),
            cpuCounter("coop.domain.cpu.suspensions", "times the domain was suspended for ignoring preemption", domid, null,
                new DomainCpuReader(hypervisor.cpuScheduler(), domain.domid(), DomainCpuReader.SUSPENSIONS)),
            swapCounter("coop.domain.swap", "memory the guest swapped (its balloon stats' claim)", domain, StatTag.SWAP_IN, "bytes"),
            swapCounter("coop.domain.swap", "memory the guest swapped (its balloon stats' claim)", domain, StatTag.SWAP_OUT, "bytes"),
            swapCounter("coop.domain.faults.major", "the guest's major page faults (its balloon stats' claim)", domain,
                StatTag.MAJOR_FAULTS, null)));
    }

    private Meter swapCounter(final String name, final String description, final Domain domain, final StatTag tag, final String unit)
    {
        final FunctionCounter.Builder<GuestSwapReader> builder = FunctionCounter.builder(name,
            new GuestSwapReader(hypervisor.usagePublisher(), domain.domid(), tag), GuestSwapReader::read)
            .description(description).baseUnit(unit).tag("domid", Integer.toString(domain.domid()));
        return (tag == StatTag.MAJOR_FAULTS ? builder : builder.tag("direction", tag == StatTag.SWAP_IN ? "in" : "out")).register(registry);
    }

    private Meter cpuCounter(final String name, final String description, final String domid, final String unit,
        final DomainCpuReader reader)
    {
        return FunctionCounter.builder(name, reader, DomainCpuReader::read).description(description).baseUnit(unit)
            .tag("domid", domid).register(registry);
    }

    @Override
    public void onHypercall(final Domain domain, final int vcpu, final int op, final int cmd, final long result, final long serviceNs)
    {
        final int errno = result < 0 && result >= -Integer.MAX_VALUE ? (int)-result : 0;
        Counter counter = calls.get(key(op, errno));
        if (counter == null)
        {
            counter = Counter.builder("coop.hypercalls").description("hypercalls served").tag("op", HypercallOp.name(op))
                .tag("result", errno == 0 ? "ok" : Errno.name(errno)).register(registry);
            calls.put(key(op, errno), counter);
        }
        counter.increment();
        latency(op).record(serviceNs, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onGuestFault(final Domain domain, final int op, final String reason)
    {
        faults.increment();
    }

    @Override
    public void onCrashed(final Domain domain, final String reason)
    {
        crashes.increment();
    }

    /** Under the hypervisor lock, once the domain left the domain table. */
    @Override
    public void onDestroyed(final Domain domain)
    {
        retired.forEach((counter, total) -> total[0] += domain.counter(counter));
        final List<Meter> meters = domainMeters.remove(domain.domid());
        if (meters != null)
        {
            meters.forEach(registry::remove);
        }
    }

    private void poolGauge(final MemoryPool pool, final String kind, final ToDoubleFunction<MemoryPool> pages)
    {
        Gauge.builder("coop.memory.pool.pages", pool, pages).description("the host's memory pool for guests, in 4 KiB pages")
            .tag("kind", kind).register(registry);
    }

    private Timer latency(final int op)
    {
        Timer timer = latencies.get(op);
        if (timer == null)
        {
            timer = Timer.builder("coop.hypercall.latency").description("hypercall service time in the hypervisor")
                .tag("op", HypercallOp.name(op)).register(registry);
            latencies.put(op, timer);
        }
        return timer;
    }

    private void countOverDomains(final String name, final String description, final DomainCounter counter)
    {
        FunctionCounter.builder(name, this, metrics -> metrics.total(counter)).description(description).register(registry);
    }

    /** Under the hypervisor lock, so a domain is counted either live or retired, never both. */
    private double total(final DomainCounter counter)
    {
        return hypervisor.locked(() ->
        {
            long sum = retired.get(counter)[0];
            for (final Domain domain : hypervisor.domains())
            {
                sum += domain.counter(counter);
            }
            return (double)sum;
        });
    }

    private double domainsIn(final DomainStatus status)
    {
        return hypervisor.domains().stream().filter(domain -> !domain.isControlDomain() && domain.status() == status).count();
    }

    private static long key(final int op, final int errno)
    {
        return ((long)op << 32) | errno;
    }
}
