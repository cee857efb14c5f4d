package org.coopvm.balloon.host;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.coopvm.balloon.guest.KibValue;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.api.BalloonState;
import org.coopvm.hypervisor.api.ConvergenceOutcome;
import org.coopvm.hypervisor.api.ConvergenceReport;
import org.coopvm.hypervisor.config.ConvergenceConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.memory.MemoryPool;
import org.coopvm.hypervisor.memory.Physmap;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.hypervisor.xenstore.XsPaths;
import org.coopvm.rings.balloon.BalloonStatsRead;
import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.hypercall.Errno;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Explains convergence: every change of a domain's {@code memory/target} (whoever wrote it: the
 * policy engine, {@code coop mem-set}, Xen's {@code xenstore-write}; it is seen through a xenstore
 * watch on {@code /local/domain}) starts a tracking that ends in exactly one
 * {@link ConvergenceReport}:
 *
 * <ul>
 *   <li>The <b>effective target</b> is the value rounded down to 4 KiB pages, clamped to the
 *       domain's max pages, else raised to its floor (minmem, or the floor the guest declares in
 *       fresh stats when higher). It is <b>reached</b> when the domain's populated pages are
 *       within one page of it: {@link ConvergenceOutcome#REACHED}, or
 *       {@link ConvergenceOutcome#ABOVE_MAXMEM} / {@link ConvergenceOutcome#BELOW_FLOOR} when it
 *       was clamped, with the time from the write (as its watch event reaches the tracker) to
 *       the reservation call that got there.</li>
 *   <li>Not reached by {@link ConvergenceConfig#slowMs()} after the write: a known cause is
 *       reported first: {@link ConvergenceOutcome#HOST_POOL_SHORT} (growing, and the pool has
 *       fewer free pages than the domain still needs, or refused a populate with ENOMEM since the
 *       write), {@link ConvergenceOutcome#GUEST_REFUSED} (shrinking, and the guest's fresh stats
 *       declare a floor above the target); else {@link ConvergenceOutcome#GUEST_SLOW} when the
 *       domain moved towards the target.</li>
 *   <li>Never moved by {@link ConvergenceConfig#timeoutMs()}: {@link ConvergenceOutcome#GUEST_REFUSED}
 *       when the guest is alive (running, publishing fresh stats) and the host could serve it,
 *       else {@link ConvergenceOutcome#TIMED_OUT}.</li>
 *   <li>A value that is not a KiB count is {@link ConvergenceOutcome#INVALID_TARGET} at once and
 *       changes nothing (the guest's driver ignores it too); a newer valid target ends the running
 *       tracking as {@link ConvergenceOutcome#SUPERSEDED}; a destroyed domain's as
 *       {@link ConvergenceOutcome#DOMAIN_GONE}. Writing the value already followed is no change.</li>
 * </ul>
 *
 * <p>Each report goes to {@code /local/domain/<id>/memory/balloon-report} (written by dom0,
 * readable by the guest, not writable by it), to the {@link ConvergenceListener} (trace, metrics)
 * and to a bounded history for the API.
 *
 * <p>Threads. An {@link Agent}: {@link #doWork()} on one thread (its runner, or a test) reads the
 * watch events, starts trackings and, every {@link ConvergenceConfig#pollMs()} while any runs,
 * reads the books (populated and max pages, the pool, the guest's classified stats); in between it
 * does nothing ({@link #nanosUntilDue()}), and a watch event unparks its thread. The hypervisor
 * calls {@link #onReservation} and {@link #onDestroyed} under its lock on its own threads: they
 * only note the call. {@link #state}, {@link #reports} and the counters may be read from any thread.
 */
public final class ConvergenceTracker implements Agent, DomainLifecycleListener, AutoCloseable
{
    /** Reports kept for the API. */
    public static final int HISTORY_CAPACITY = 1024;
    /** Longest stretch of a written value quoted in a report. */
    public static final int MAX_TEXT = 64;

    private static final String WATCH_TOKEN = "coop-convergence";
    private static final String TARGET_SUFFIX = "/" + DomainNodes.TARGET;
    private static final long IDLE_NS = TimeUnit.SECONDS.toNanos(1);

    private final Hypervisor hypervisor;
    private final NanoClock clock;
    private final EpochClock epochClock;
    private final ConvergenceListener listener;
    private final long pollNs;
    private final long slowNs;
    private final long timeoutNs;
    private final XenstoredAccess xenstore;
    private final Queue<Integer> destroyed = new ConcurrentLinkedQueue<>();
    private final Map<Integer, ReservationMark> marks = new ConcurrentHashMap<>();
    private final Map<Integer, BalloonState> states = new ConcurrentHashMap<>();
    private final ArrayDeque<Write> written = new ArrayDeque<>();
    private final Int2ObjectHashMap<DomainTrack> tracks = new Int2ObjectHashMap<>();
    private final ArrayDeque<ConvergenceReport> history = new ArrayDeque<>();
    private final AtomicInteger tracking = new AtomicInteger();
    private final AtomicLong reportCount = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final AtomicLong xenstoreFailures = new AtomicLong();
    private volatile Thread agentThread;
    private long nextPollNs;
    private long seq;

    /**
     * Connects to xenstored as dom0 and watches {@code /local/domain}; register the tracker with
     * {@link Hypervisor#addLifecycleListener} too, so it hears reservation calls and destroys.
     *
     * @param hypervisor the hypervisor whose domains to track.
     * @param config     the poll period and deadlines.
     * @param clock      the tracker's clock (timestamps of reservation calls and writes too).
     * @param epochClock for the reports' wall-clock time.
     * @param listener   hears every report.
     */
    public ConvergenceTracker(final Hypervisor hypervisor, final ConvergenceConfig config, final NanoClock clock,
        final EpochClock epochClock, final ConvergenceListener listener)
    {
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.epochClock = Objects.requireNonNull(epochClock, "epochClock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.pollNs = TimeUnit.MILLISECONDS.toNanos(config.pollMs());
        this.slowNs = TimeUnit.MILLISECONDS.toNanos(config.slowMs());
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(config.timeoutMs());
        this.xenstore = XenstoredAccess.dom0(hypervisor.xenstored(), this::eventQueued);
        this.xenstore.watch(XsPaths.DOMAIN_ROOT, WATCH_TOKEN, this::onWatch);
    }

    @Override
    public void onStart()
    {
        agentThread = Thread.currentThread();
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = forgetDestroyed(nowNs);
        work += xenstore.pollEvents();
        work += handleWrites(nowNs);
        if (nowNs - nextPollNs >= 0)
        {
            nextPollNs = nowNs + pollNs;
            work += evaluateAll(nowNs);
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "balloon-convergence";
    }

    /** @return nanoseconds until the next look at the books (a second when nothing is tracked; a watch event wakes it sooner). */
    public long nanosUntilDue()
    {
        return tracking.get() == 0 ? IDLE_NS : Math.max(0, nextPollNs - clock.nanoTime());
    }

    /**
     * Under the hypervisor lock: note the call (never more).
     */
    @Override
    public void onReservation(final Domain domain, final int cmd, final long nrExtents, final int order, final long result)
    {
        final long pages = domain.memory().physmap().populatedPages();
        final long nowNs = clock.nanoTime();
        marks.compute(domain.domid(), (domid, before) -> ReservationMark.after(before, pages, result, nowNs));
    }

    /** Under the hypervisor lock: a running tracking ends as {@link ConvergenceOutcome#DOMAIN_GONE} on the tracker's thread. */
    @Override
    public void onDestroyed(final Domain domain)
    {
        marks.remove(domain.domid());
        destroyed.add(domain.domid());
        wake();
    }

    /**
     * @param domid a domain.
     * @return its balloon state, or null for a domain the tracker has not seen yet (no change of
     * its target since creation: the target is its configured memory, nothing is tracked).
     */
    public BalloonState state(final int domid)
    {
        return states.get(domid);
    }

    /** @return the reports kept, oldest first. */
    public List<ConvergenceReport> reports()
    {
        synchronized (history)
        {
            return List.copyOf(history);
        }
    }

    /**
     * @param domid a domain.
     * @return its reports kept, oldest first.
     */
    public List<ConvergenceReport> reports(final int domid)
    {
        final List<ConvergenceReport> mine = new ArrayList<>();
        for (final ConvergenceReport report : reports())
        {
            if (report.domid() == domid)
            {
                mine.add(report);
            }
        }
        return mine;
    }

    /** @return changes being tracked now. */
    public int tracking()
    {
        return tracking.get();
    }

    /** @return reports made. */
    public long reportCount()
    {
        return reportCount.get();
    }

    /** @return exceptions the listener threw. */
    public long listenerFailures()
    {
        return listenerFailures.get();
    }

    /** @return reports that could not be written to xenstore (the domain's tree was gone). */
    public long xenstoreFailures()
    {
        return xenstoreFailures.get();
    }

    /** Drops the xenstore session (its watch goes). */
    @Override
    public void close()
    {
        xenstore.close();
    }

    /** Called under xenstored's lock when a watch event is queued: wake the agent. */
    private void eventQueued()
    {
        wake();
    }

    private void wake()
    {
        final Thread thread = agentThread;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * On the tracker's thread, from {@link XenstoredAccess#pollEvents()}: one event each, in order.
     * The write is timed at delivery, an unpark after xenstored queued it. (Timing it at queueing,
     * through a side queue of times, went wrong as soon as one queued event reached no watcher:
     * every later write took an older time, and reports said seconds for changes of 80 ms.)
     */
    private void onWatch(final String path, final String token)
    {
        final int domid = targetDomid(path);
        if (domid > 0)
        {
            written.add(new Write(domid, clock.nanoTime()));
        }
    }

    /** @return the domid of a {@code /local/domain/<id>/memory/target} path, else -1. */
    static int targetDomid(final String path)
    {
        final String prefix = XsPaths.DOMAIN_ROOT + "/";
        if (!path.startsWith(prefix) || !path.endsWith(TARGET_SUFFIX) || path.length() <= prefix.length() + TARGET_SUFFIX.length())
        {
            return -1;
        }
        final String id = path.substring(prefix.length(), path.length() - TARGET_SUFFIX.length());
        if (id.isEmpty() || id.length() > 9 || !id.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return -1;
        }
        return Integer.parseInt(id);
    }

    private int forgetDestroyed(final long nowNs)
    {
        int work = 0;
        Integer domid;
        while ((domid = destroyed.poll()) != null)
        {
            final DomainTrack track = tracks.remove(domid);
            states.remove(domid);
            if (track != null && track.running != null)
            {
                finish(track, track.running, ConvergenceOutcome.DOMAIN_GONE, nowNs - track.running.startNs(),
                    track.running.startPages(), -1, "the domain was destroyed");
            }
            work++;
        }
        return work;
    }

    private int handleWrites(final long nowNs)
    {
        int work = 0;
        Write write;
        while ((write = written.poll()) != null)
        {
            work += targetWritten(write.domid(), write.atNs(), nowNs);
        }
        return work;
    }

    private int targetWritten(final int domid, final long atNs, final long nowNs)
    {
        final Domain domain = hypervisor.domain(domid).filter(d -> !d.isControlDomain() && !d.isDying()).orElse(null);
        if (domain == null)
        {
            return 0;
        }
        final DomainTrack track = track(domain);
        final String text = DomainNodes.read(xenstore, domid, DomainNodes.TARGET).orElse(null);
        if (Objects.equals(text, track.lastText))
        {
            return 0;
        }
        track.lastText = text;
        final KibValue value = KibValue.parse(text);
        if (!value.isValid())
        {
            invalid(track, domain, text, value);
            return 1;
        }
        if (value.kib() == track.followedKib)
        {
            return 0;
        }
        if (track.running != null)
        {
            supersede(track, domain, value.kib(), nowNs);
        }
        track.followedKib = value.kib();
        track.running = start(domain, text, value.kib(), atNs);
        tracking.incrementAndGet();
        evaluate(track, domain, nowNs);
        publishState(track, domain);
        return 1;
    }

    private DomainTrack track(final Domain domain)
    {
        DomainTrack track = tracks.get(domain.domid());
        if (track == null)
        {
            track = new DomainTrack(domain.domid(), domain.name(), domain.spec().memoryKib());
            tracks.put(domain.domid(), track);
        }
        return track;
    }

    private Tracking start(final Domain domain, final String text, final long kib, final long atNs)
    {
        final long minmem = domain.spec().minmemKib();
        final long guestFloor = freshGuestFloorKib(domain.domid());
        return new Tracking(clip(text), kib, atNs, domain.memory().physmap().populatedPages(), Math.max(minmem, guestFloor),
            guestFloor > minmem ? "the guest's declared floor" : "minmem");
    }

    private int evaluateAll(final long nowNs)
    {
        int work = 0;
        for (final DomainTrack track : new ArrayList<>(tracks.values()))
        {
            if (track.running != null)
            {
                final Domain domain = hypervisor.domain(track.domid).orElse(null);
                if (domain != null)
                {
                    evaluate(track, domain, nowNs);
                    work++;
                }
            }
        }
        return work;
    }

    private void evaluate(final DomainTrack track, final Domain domain, final long nowNs)
    {
        final Tracking running = track.running;
        final Physmap physmap = domain.memory().physmap();
        final long pages = physmap.populatedPages();
        final long maxPages = physmap.maxPages();
        final long effective = running.effectivePages(maxPages);
        running.observe(Math.abs(pages - effective));
        if (Math.abs(pages - effective) <= 1)
        {
            finish(track, running, running.clamp(maxPages), reachedAfterNs(domain.domid(), running, effective, nowNs), pages,
                effective, running.clampDetail(maxPages));
            return;
        }
        final Verdict verdict = judge(domain, running, pages, effective, nowNs - running.startNs());
        if (verdict != null)
        {
            finish(track, running, verdict.outcome(), nowNs - running.startNs(), pages, effective,
                join(running.clampDetail(maxPages), verdict.detail()));
        }
    }

    /** From the write to the reservation call that brought the domain within a page (0 if it already was). */
    private long reachedAfterNs(final int domid, final Tracking running, final long effective, final long nowNs)
    {
        final ReservationMark mark = marks.get(domid);
        if (mark != null && mark.changedSince(running.startNs()) && Math.abs(mark.pages() - effective) <= 1)
        {
            return mark.changedAtNs() - running.startNs();
        }
        return running.reachedAtStart() ? 0 : Math.max(0, nowNs - running.startNs());
    }

    /** @return the outcome once a deadline has passed, or null to keep tracking. */
    private Verdict judge(final Domain domain, final Tracking running, final long pages, final long effective, final long elapsedNs)
    {
        if (elapsedNs < slowNs)
        {
            return null;
        }
        final Verdict known = knownCause(domain, running, pages, effective);
        if (known != null)
        {
            return known;
        }
        if (running.progressed())
        {
            return new Verdict(ConvergenceOutcome.GUEST_SLOW, "moved from " + kib(running.startPages()) + " to " + kib(pages) +
                " KiB towards " + kib(effective) + " KiB in " + TimeUnit.NANOSECONDS.toMillis(elapsedNs) + " ms");
        }
        if (elapsedNs < timeoutNs)
        {
            return null;
        }
        final String stayed = "stayed at " + kib(pages) + " KiB for " + TimeUnit.NANOSECONDS.toMillis(elapsedNs) + " ms";
        final String dead = whyNotAlive(domain);
        return dead == null ?
            new Verdict(ConvergenceOutcome.GUEST_REFUSED, stayed + " although it runs, publishes fresh stats, and the host " +
                "could serve it (pool " + kib(hypervisor.memoryPool().freePages()) + " KiB free)") :
            new Verdict(ConvergenceOutcome.TIMED_OUT, stayed + ": " + dead);
    }

    /** @return a reason the domain cannot get there that the host can name, or null. */
    private Verdict knownCause(final Domain domain, final Tracking running, final long pages, final long effective)
    {
        if (effective > pages)
        {
            final MemoryPool pool = hypervisor.memoryPool();
            final long free = pool.freePages();
            final ReservationMark mark = marks.get(domain.domid());
            if (free < effective - pages || mark != null && mark.failedSince(Errno.ENOMEM, running.startNs()))
            {
                return new Verdict(ConvergenceOutcome.HOST_POOL_SHORT, "needs " + kib(effective - pages) + " KiB more; the host " +
                    "pool has " + kib(free) + " KiB free of " + kib(pool.totalPages()) + " KiB" +
                    (mark != null && mark.failedSince(Errno.ENOMEM, running.startNs()) ? " (a populate failed with ENOMEM)" : ""));
            }
            return null;
        }
        final long guestFloor = freshGuestFloorKib(domain.domid());
        if (guestFloor > kib(effective))
        {
            return new Verdict(ConvergenceOutcome.GUEST_REFUSED, "the guest declares a floor of " + guestFloor +
                " KiB, above the target " + kib(effective) + " KiB: it stopped at " + kib(pages) + " KiB");
        }
        return null;
    }

    /** @return why the guest does not count as alive, or null when it runs and publishes fresh stats. */
    private String whyNotAlive(final Domain domain)
    {
        final DomainStatus status = domain.status();
        if (status != DomainStatus.RUNNING)
        {
            return "the domain is " + status.name().toLowerCase(Locale.ROOT);
        }
        final StatsFreshness freshness = hypervisor.usagePublisher().stats(domain.domid())
            .map(BalloonStatsRead::freshness).orElse(StatsFreshness.NONE);
        return freshness == StatsFreshness.FRESH ? null :
            "the guest publishes no fresh balloon stats (" + freshness.name().toLowerCase(Locale.ROOT) + ")";
    }

    private long freshGuestFloorKib(final int domid)
    {
        return hypervisor.usagePublisher().stats(domid)
            .filter(read -> read.freshness() == StatsFreshness.FRESH)
            .map(read -> read.stats().floorKib())
            .orElse(0L);
    }

    private void invalid(final DomainTrack track, final Domain domain, final String text, final KibValue value)
    {
        final long current = kib(domain.memory().physmap().populatedPages());
        final String what = text == null ? "memory/target was removed" :
            "memory/target = \"" + clip(text) + "\" is not a KiB count (" + value.rejection().name().toLowerCase(Locale.ROOT)
                .replace('_', ' ') + ")";
        report(track, new ConvergenceReport(++seq, track.domid, track.name, ConvergenceOutcome.INVALID_TARGET,
            text == null ? "" : clip(text), -1, -1, current, current, 0, epochClock.time(),
            what + ": ignored; the domain keeps following " + track.followedKib + " KiB"));
        publishState(track, domain);
    }

    private void supersede(final DomainTrack track, final Domain domain, final long newKib, final long nowNs)
    {
        final Tracking running = track.running;
        final Physmap physmap = domain.memory().physmap();
        finish(track, running, ConvergenceOutcome.SUPERSEDED, nowNs - running.startNs(), physmap.populatedPages(),
            running.effectivePages(physmap.maxPages()), "superseded by memory/target = " + newKib + " KiB after " +
            TimeUnit.NANOSECONDS.toMillis(nowNs - running.startNs()) + " ms");
    }

    private void finish(final DomainTrack track, final Tracking running, final ConvergenceOutcome outcome, final long elapsedNs,
        final long pages, final long effective, final String detail)
    {
        track.running = null;
        tracking.decrementAndGet();
        report(track, new ConvergenceReport(++seq, track.domid, track.name, outcome, running.text(), running.requestedKib(),
            effective < 0 ? -1 : kib(effective), kib(running.startPages()), kib(pages),
            TimeUnit.NANOSECONDS.toMillis(Math.max(0, elapsedNs)), epochClock.time(), detail));
        if (outcome != ConvergenceOutcome.DOMAIN_GONE)
        {
            states.put(track.domid, new BalloonState(track.followedKib, false, -1, track.lastReport));
        }
    }

    private void report(final DomainTrack track, final ConvergenceReport report)
    {
        track.lastReport = report;
        if (report.outcome() != ConvergenceOutcome.DOMAIN_GONE &&
            !DomainNodes.writeIfPresent(xenstore, report.domid(), DomainNodes.BALLOON_REPORT, report.xenstoreValue()))
        {
            xenstoreFailures.incrementAndGet();
        }
        synchronized (history)
        {
            if (history.size() == HISTORY_CAPACITY)
            {
                history.removeFirst();
            }
            history.addLast(report);
        }
        reportCount.incrementAndGet();
        try
        {
            listener.onReport(report);
        }
        catch (final RuntimeException ex)
        {
            listenerFailures.incrementAndGet();
        }
    }

    private void publishState(final DomainTrack track, final Domain domain)
    {
        final Tracking running = track.running;
        states.put(track.domid, new BalloonState(track.followedKib, running != null,
            running == null ? -1 : kib(running.effectivePages(domain.memory().physmap().maxPages())), track.lastReport));
    }

    private static String join(final String first, final String second)
    {
        return first.isEmpty() ? second : first + "; " + second;
    }

    private static String clip(final String text)
    {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }

    private static long kib(final long pages)
    {
        return pages * Tracking.PAGE_KIB;
    }

    /** A write of a target node seen through the watch, and when xenstored queued it. */
    private record Write(int domid, long atNs)
    {
    }

    /** Why a tracking ends, when a deadline has passed. */
    private record Verdict(ConvergenceOutcome outcome, String detail)
    {
    }

    /** What the tracker keeps per domain (its thread only). */
    private static final class DomainTrack
    {
        private final int domid;
        private final String name;
        private long followedKib;
        private String lastText;
        private Tracking running;
        private ConvergenceReport lastReport;

        DomainTrack(final int domid, final String name, final long followedKib)
        {
            this.domid = domid;
            this.name = name;
            this.followedKib = followedKib;
        }
    }
}
