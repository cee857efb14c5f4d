package org.coopvm.guest.coop;

import org.coopvm.guest.mem.MemoryStats;
import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.UsageEntryDescriptor;
import org.coopvm.rings.usage.UsagePageDescriptor;
import org.coopvm.rings.usage.UsageSnapshot;

import java.util.Objects;

/**
 * {@code memory-cooperative}: the guest asks for memory when it is short and gives back free
 * memory when others need it, judging both from the usage page. Meant for hosts running the
 * {@code cooperative} balloon policy, which grants requests from the pool and takes what guests
 * volunteer.
 *
 * <p>Every period, with T, F and A the guest's total, free and available (free plus reclaimable
 * caches) memory as they will be once its own balloon reached the target on the page (a move under
 * way counts as done), and the pool's room = free pool − {@code pool_reserve} × pool, corrected by
 * every domain's balloon move under way (current − target, from the page):
 * <ul>
 *   <li><b>Ask</b> when A &lt; {@code low_water} × T: enough to bring A back to {@code goal} × T,
 *       (goal × T − A) / (1 − goal), at most up to maxmem and at most the pool's room. No room:
 *       it withdraws its request and waits for volunteers (its low availability is on the page,
 *       which is what they look for).</li>
 *   <li><b>Volunteer</b> when F &gt; {@code high_water} × T and others need memory: the demand is
 *       what starved domains (fresh stats, available below {@code low_water} of their memory,
 *       below their maxmem) need to reach {@code goal}, plus what the pool lacks, less the room it
 *       has. The guest gives its share of that demand in proportion to its excess over
 *       {@code goal} (F − goal × T) / (1 − goal) among every domain above {@code high_water},
 *       so several volunteers together give about what is needed, never more than their excess.
 *       No demand: an outstanding offer is withdrawn.</li>
 *   <li>Otherwise (between the water marks) it withdraws whatever it still asks or offers: a
 *       request lives only while the guest is short, or has memory others need.</li>
 * </ul>
 * Requests below {@code min_request_kib} are not made. Asking aims at available memory and
 * volunteering at free memory, both at {@code goal}, inside [low_water, high_water]: a guest that
 * has just asked is not above high water, one that has just given is not below low water, so it
 * never flips between the two. The request itself is a goal the kernel publishes until the guest's
 * total gets there (see {@link CooperationContext#requestMemory}).
 *
 * <p>Thread safety: the cooperation task's thread; {@link #lastDecision()} from any thread.
 */
public final class MemoryCooperativePolicy implements CooperationPolicy
{
    /** Its name. */
    public static final String NAME = "memory-cooperative";

    private static final long PAGE_KIB = 4;

    private double lowWater;
    private double goal;
    private double highWater;
    private double poolReserve;
    private long minRequestKib;
    private volatile Decision last = new Decision(Kind.CONTENT, 0, "not run yet");

    /** What a period decided. */
    public enum Kind
    {
        /** Ask for {@link Decision#kib()} more. */
        ASK,
        /** Give {@link Decision#kib()} back. */
        VOLUNTEER,
        /** Withdraw the outstanding request (short with no room, back within the water marks, or an offer nobody needs). */
        WITHDRAW,
        /** Wait: the pool is unknown. */
        WAIT,
        /** Nothing to do. */
        CONTENT
    }

    /**
     * One period's decision.
     *
     * @param kind what.
     * @param kib  how much (ASK, VOLUNTEER), else 0.
     * @param why  the figures behind it, for the console.
     */
    public record Decision(Kind kind, long kib, String why)
    {
        /** Checks the references. */
        public Decision
        {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(why, "why");
        }
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "asks for memory below low water when the pool has room, volunteers free memory above high water when others need it";
    }

    @Override
    public void configure(final CooperationArgs args)
    {
        lowWater = args.decimal("low_water", 0.10, 0.0, 0.9, "ask when available memory is below this fraction of total");
        goal = args.decimal("goal", 0.20, 0.01, 0.95, "what asking (available) and volunteering (free) aim at, fraction of total");
        highWater = args.decimal("high_water", 0.40, 0.02, 1.0, "volunteer when free memory is above this fraction of total");
        poolReserve = args.decimal("pool_reserve", 0.05, 0.0, 0.9, "pool fraction never asked for; below it the pool is short");
        minRequestKib = args.integer("min_request_kib", 1024, PAGE_KIB, 1L << 30, "smallest request or offer worth making, KiB");
        if (!(lowWater < goal && goal < highWater))
        {
            throw new CooperationConfigException("goal", "need low_water < goal < high_water, got " + lowWater + ", " + goal + ", " +
                highWater);
        }
    }

    @Override
    public void onUsage(final UsageSnapshot usage, final CooperationContext ctx)
    {
        final Decision decision = decide(usage, ctx);
        switch (decision.kind())
        {
            case ASK -> ctx.requestMemory(decision.kib());
            case VOLUNTEER -> ctx.requestMemory(-decision.kib());
            case WITHDRAW -> ctx.requestMemory(0);
            case WAIT, CONTENT ->
            {
                // keep what is outstanding
            }
        }
        if (decision.kind() != last.kind())
        {
            ctx.log(decision.kind().name().toLowerCase() + (decision.kib() > 0 ? " " + decision.kib() + " KiB" : "") + ": " +
                decision.why());
        }
        last = decision;
    }

    /** @return the last period's decision. */
    public Decision lastDecision()
    {
        return last;
    }

    private Decision decide(final UsageSnapshot usage, final CooperationContext ctx)
    {
        if (usage.host().poolTotalKib() <= 0 || usage.hasFlag(UsagePageDescriptor.FLAG_POOL_UNKNOWN))
        {
            return new Decision(Kind.WAIT, 0, "the pool is unknown");
        }
        final Own own = own(usage, ctx);
        final long room = roomKib(usage);
        if (own.available() < lowWater * own.total())
        {
            return ask(own, room, ctx);
        }
        if (own.free() > highWater * own.total())
        {
            return volunteer(usage, own, room, ctx);
        }
        return ctx.outstandingRequestKib() != 0 ? new Decision(Kind.WITHDRAW, 0, own + ", back within the water marks") :
            new Decision(Kind.CONTENT, 0, own + ", within the water marks");
    }

    private Decision ask(final Own own, final long room, final CooperationContext ctx)
    {
        final long want = Math.min(pageDown(ctx.maxmemKib() - own.total()), pageUp(toGoal(goal * own.total() - own.available())));
        final String why = own + ", available below low water " + lowWater;
        if (want < minRequestKib)
        {
            return new Decision(Kind.CONTENT, 0, why + ", at maxmem " + ctx.maxmemKib() + " KiB");
        }
        final long ask = Math.min(want, pageDown(room));
        final long request = own.movingKib() + ask;
        if (ask < minRequestKib || request <= 0)
        {
            return new Decision(Kind.WITHDRAW, 0, why + ", wants " + want + " KiB, pool room " + room + " KiB: waiting for volunteers");
        }
        return new Decision(Kind.ASK, request, why + ", wants " + want + " KiB, pool room " + room + " KiB");
    }

    private Decision volunteer(final UsageSnapshot usage, final Own own, final long room, final CooperationContext ctx)
    {
        final long excess = Math.min(Math.max(0, own.total() - ctx.floorKib()), toGoal(own.free() - goal * own.total()));
        final long starved = starvedNeedKib(usage, ctx.domid());
        final long demand = Math.max(0, starved - room);
        final String why = own + ", free above high water " + highWater + ", starved domains need " + starved + " KiB, pool room " +
            room + " KiB";
        if (demand < minRequestKib)
        {
            return ctx.outstandingRequestKib() < 0 ? new Decision(Kind.WITHDRAW, 0, why + ": nobody needs the offer") :
                new Decision(Kind.CONTENT, 0, why);
        }
        final long othersExcess = othersExcessKib(usage, ctx.domid());
        final long share = (long)Math.ceil((double)demand * excess / Math.max(1, excess + othersExcess));
        final long give = Math.min(pageDown(excess), pageUp(share));
        final long offer = give - own.movingKib();
        if (give < minRequestKib || offer <= 0)
        {
            return new Decision(Kind.CONTENT, 0, why + ", its share " + give + " KiB is too small");
        }
        return new Decision(Kind.VOLUNTEER, offer, why + ", gives " + give + " KiB of its excess " + excess + " (others' " +
            othersExcess + ")");
    }

    /**
     * The guest's memory as it will be once its balloon reached the target on the page: a move
     * under way (target − current on the same page, within floor and maxmem) counts as done, so a
     * grant on its way is not asked for again, an offer on its way is not given twice, and a
     * shrink the guest cannot finish is asked back rather than waited for.
     */
    private static Own own(final UsageSnapshot usage, final CooperationContext ctx)
    {
        final MemoryStats stats = ctx.memoryStats();
        final DomainUsage self = usage.domain(ctx.domid()).orElse(null);
        final long moving = self == null || self.targetKib() <= 0 ? 0 :
            Math.min(ctx.maxmemKib(), Math.max(ctx.floorKib(), self.targetKib())) - self.currentKib();
        final long total = stats.totalBytes() / 1024;
        return new Own(Math.max(0, total + moving), Math.max(0, stats.freeBytes() / 1024 + moving),
            Math.max(0, stats.availableBytes() / 1024 + moving), moving);
    }

    /** The guest's figures once its balloon move is done, KiB; {@code movingKib} is that move (+ grows, − shrinks). */
    private record Own(long total, long free, long available, long movingKib)
    {
        @Override
        public String toString()
        {
            return "available " + available + ", free " + free + " of " + total + " KiB" +
                (movingKib == 0 ? "" : " (balloon moving " + movingKib + " KiB)");
        }
    }

    /** Free pool above the reserve, plus what shrinking domains will return, less what growing ones will take. */
    private long roomKib(final UsageSnapshot usage)
    {
        long moving = 0;
        for (final DomainUsage domain : usage.domains())
        {
            if (live(domain) && domain.targetKib() > 0)
            {
                moving += domain.currentKib() - domain.targetKib();
            }
        }
        return usage.host().poolFreeKib() - (long)Math.ceil(poolReserve * usage.host().poolTotalKib()) + moving;
    }

    /** What the other starved domains need to reach goal. */
    private long starvedNeedKib(final UsageSnapshot usage, final int self)
    {
        long need = 0;
        for (final DomainUsage domain : usage.domains())
        {
            if (domain.domid() != self && fresh(domain) && domain.currentKib() < domain.maxKib())
            {
                final long available = Math.max(0, domain.currentKib() - domain.guestWorkingSetKib());
                if (domain.guestWorkingSetKib() > 0 && available < lowWater * domain.currentKib())
                {
                    need += Math.min(domain.maxKib() - domain.currentKib(), toGoal(goal * domain.currentKib() - available));
                }
            }
        }
        return need;
    }

    /** The other domains above high water: what they could give, as this policy would. */
    private long othersExcessKib(final UsageSnapshot usage, final int self)
    {
        long excess = 0;
        for (final DomainUsage domain : usage.domains())
        {
            if (domain.domid() != self && fresh(domain) && domain.guestFreeKib() > highWater * domain.currentKib())
            {
                excess += Math.max(0, toGoal(domain.guestFreeKib() - goal * domain.currentKib()));
            }
        }
        return excess;
    }

    /** @return the move that brings a fraction to goal: gap / (1 − goal), whole KiB, at least 0. */
    private long toGoal(final double gapKib)
    {
        return Math.max(0, (long)Math.ceil(gapKib / (1 - goal)));
    }

    private static boolean live(final DomainUsage domain)
    {
        return !domain.hasFlag(UsageEntryDescriptor.FLAG_SHUTDOWN) && !domain.hasFlag(UsageEntryDescriptor.FLAG_DYING);
    }

    private static boolean fresh(final DomainUsage domain)
    {
        return live(domain) && domain.statsState() == StatsFreshness.FRESH;
    }

    private static long pageUp(final long kib)
    {
        return (kib + PAGE_KIB - 1) / PAGE_KIB * PAGE_KIB;
    }

    private static long pageDown(final long kib)
    {
        return Math.max(0, kib) / PAGE_KIB * PAGE_KIB;
    }
}
