package org.coopvm.balloon.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code mom}: oVirt MoM's default auto-balloon rules ({@code doc/balloon.rules} in
 * github.com/oVirt/mom, the version whose floors use {@code max}, commit e0f3d3b), with its
 * constants as defaults. Each round:
 *
 * <ul>
 *   <li>{@code host_free_percent} = the mean of the last {@code sample_history} host free figures
 *       (one per round here; MoM samples the host every 5 s) / the pool size.</li>
 *   <li>Below {@code pressure_threshold} (0.20) the host is under pressure and every guest
 *       shrinks: the free memory it keeps is {@code min_guest_free_percent} (0.20) scaled by
 *       {@code host_free_percent / pressure_threshold}, or, at or below {@code pressure_critical}
 *       (0.05), {@code host_free_percent - 0.05} (negative: MoM forces the guest to swap).
 *       {@code balloon_min = max(floor, used + guest_free_percent * cur)} with
 *       {@code used = avg(total) - avg(free)} over the guest's last {@code sample_history}
 *       samples; the target is {@code cur * (1 - max_balloon_change_percent)} raised to
 *       {@code balloon_min}, applied only if it is not above {@code cur}.</li>
 *   <li>Otherwise a guest below maxmem grows: {@code cur * (1 + max_balloon_change_percent)},
 *       raised to {@code max(floor, used + min_guest_free_percent * cur)}, capped at maxmem.</li>
 *   <li>A change of at most {@code min_balloon_change_percent} (0.0025) of {@code cur} is not made.</li>
 * </ul>
 *
 * <p>As in MoM, a guest without usable stats is left alone. Differences from MoM: {@code cur} is
 * the hypervisor's current reservation and {@code total}/{@code free} the guest's virtio-style
 * stats ({@code mem_unused} is free); MoM's policy runs every 10 s, which is this policy's
 * default period.
 *
 * <p>Thread safety: the engine's thread (keeps the host history).
 */
public final class MomPolicy implements BalloonPolicy
{
    /** MoM's offset below the host's free fraction under critical pressure (forces guests to swap). */
    public static final double CRITICAL_FREE_OFFSET = -0.05;

    private final Rules rules;
    private final long[] hostFreeKib;
    private int hostSamples;
    private int nextHostSample;

    /**
     * MoM's constants.
     *
     * @param pressureThreshold       host free fraction below which the host is under pressure.
     * @param pressureCritical        host free fraction at or below which pressure is critical.
     * @param minGuestFreePercent     free fraction an unconstrained guest keeps.
     * @param maxBalloonChangePercent most change per round, as a fraction of current memory.
     * @param minBalloonChangePercent least change worth making, as a fraction of current memory.
     * @param sampleHistory           samples averaged (host and guest).
     */
    public record Rules(double pressureThreshold, double pressureCritical, double minGuestFreePercent,
                        double maxBalloonChangePercent, double minBalloonChangePercent, int sampleHistory)
    {
        /** MoM's defaults. */
        public static final Rules DEFAULTS = new Rules(0.20, 0.05, 0.20, 0.05, 0.0025, 10);
    }

    /** @param rules the constants (validated by the factory). */
    public MomPolicy(final Rules rules)
    {
        this.rules = rules;
        this.hostFreeKib = new long[rules.sampleHistory()];
    }

    @Override
    public List<BalloonDecision> decide(final BalloonSnapshot snapshot)
    {
        final double hostFreePercent = recordHostFree(snapshot.host());
        final boolean pressure = hostFreePercent < rules.pressureThreshold();
        final List<BalloonDecision> decisions = new ArrayList<>(snapshot.domains().size());
        for (final DomainView view : snapshot.domains())
        {
            if (view.statsStatus() != StatsStatus.FRESH)
            {
                decisions.add(BalloonDecision.keepForStats(view));
            }
            else
            {
                decisions.add(pressure ? shrink(view, hostFreePercent) : grow(view));
            }
        }
        return decisions;
    }

    private BalloonDecision shrink(final DomainView view, final double hostFreePercent)
    {
        final boolean critical = hostFreePercent <= rules.pressureCritical();
        final double guestFreePercent = critical ? hostFreePercent + CRITICAL_FREE_OFFSET :
            rules.minGuestFreePercent() * (hostFreePercent / rules.pressureThreshold());
        final long cur = view.currentKib();
        final double used = used(view);
        final double balloonMin = Math.max(view.floorKib(), used + guestFreePercent * cur);
        final double size = Math.max(cur * (1 - rules.maxBalloonChangePercent()), balloonMin);
        final String why = String.format(Locale.ROOT, "host free %.1f%% < %.1f%%: used %.0f KiB, keep %.1f%% free of %d KiB",
            100 * hostFreePercent, 100 * rules.pressureThreshold(), used, 100 * guestFreePercent, cur);
        if (size > cur)
        {
            return BalloonDecision.keep(view, DecisionReason.NO_CHANGE, why + ": needs more, MoM does not grow under pressure");
        }
        return change(view, size, critical ? DecisionReason.HOST_PRESSURE_CRITICAL : DecisionReason.HOST_PRESSURE, why);
    }

    private BalloonDecision grow(final DomainView view)
    {
        final long cur = view.currentKib();
        if (cur >= view.maxKib())
        {
            return BalloonDecision.keep(view, DecisionReason.NO_CHANGE, "no host pressure, already at maxmem");
        }
        final double used = used(view);
        final double balloonMin = Math.max(view.floorKib(), used + rules.minGuestFreePercent() * cur);
        final double size = Math.min(Math.max(cur * (1 + rules.maxBalloonChangePercent()), balloonMin), view.maxKib());
        return change(view, size, DecisionReason.NO_PRESSURE_GROW,
            String.format(Locale.ROOT, "no host pressure: used %.0f KiB, grow %d KiB toward maxmem %d KiB", used, cur, view.maxKib()));
    }

    private BalloonDecision change(final DomainView view, final double size, final DecisionReason reason, final String why)
    {
        final long cur = view.currentKib();
        if (Math.abs(size - cur) <= rules.minBalloonChangePercent() * cur)
        {
            return BalloonDecision.keep(view, DecisionReason.CHANGE_TOO_SMALL,
                String.format(Locale.ROOT, "%s: change %.0f KiB is under %.2f%%", why, size - cur, 100 * rules.minBalloonChangePercent()));
        }
        final long target = Math.round(size);
        return new BalloonDecision(view.domid(), target, reason, why + " -> " + target + " KiB");
    }

    private double used(final DomainView view)
    {
        final int n = rules.sampleHistory();
        return view.average(n, StatsSample::totalKib) - view.average(n, StatsSample::freeKib);
    }

    private double recordHostFree(final HostPool host)
    {
        hostFreeKib[nextHostSample] = host.freeKib();
        nextHostSample = (nextHostSample + 1) % hostFreeKib.length;
        hostSamples = Math.min(hostSamples + 1, hostFreeKib.length);
        long sum = 0;
        for (int i = 0; i < hostSamples; i++)
        {
            sum += hostFreeKib[i];
        }
        return host.totalKib() == 0 ? 1.0 : (double)sum / hostSamples / host.totalKib();
    }
}
