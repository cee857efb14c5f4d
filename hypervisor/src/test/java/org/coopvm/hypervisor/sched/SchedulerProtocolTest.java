package org.coopvm.hypervisor.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.coopvm.hypervisor.sched.SchedSimulator.MS;

/** The runtime's side of the SPI: what happens on slot changes, repeated or out-of-order calls, and misuse. */
class SchedulerProtocolTest
{
    private Scheduler s;
    private SchedVcpu a;
    private SchedVcpu b;

    @BothSchedulers
    void slotsGrowAndShrinkLive(final String name)
    {
        start(name);
        assertThat(s.schedule(0, null, 0).next()).isSameAs(a);

        s.adjust(SchedulerSettings.defaults(2), MS);
        assertThat(s.schedule(1, null, MS).next()).isSameAs(b);

        s.adjust(SchedulerSettings.defaults(1), 2 * MS);
        assertThatIllegalArgumentException().isThrownBy(() -> s.schedule(1, null, 2 * MS))
            .withMessage("slot 1 outside 0..0");
        s.sleep(a, 3 * MS);
        assertThat(s.schedule(0, null, 3 * MS).next()).as("slot 1's vCPU was queued again").isSameAs(b);
    }

    @BothSchedulers
    void askingAgainBeforeTheSliceEndsKeepsTheCurrentVcpu(final String name)
    {
        start(name);
        s.charge(b, 5 * MS, 0);
        final Scheduler.Decision first = s.schedule(0, null, 0);
        assertThat(first.next()).isSameAs(a);
        assertThat(first.untilNs()).isGreaterThanOrEqualTo(5 * MS);

        for (long t = 2 * MS; t < first.untilNs(); t += MS)
        {
            assertThat(s.schedule(0, a, t)).isEqualTo(first);
        }
    }

    @BothSchedulers
    void aYielderPassedAsCurrentStillGivesItsSlotAway(final String name)
    {
        start(name);
        assertThat(s.schedule(0, null, 0).next()).isSameAs(a);

        s.yield(a, 100_000);

        assertThat(s.schedule(0, a, 100_000).next()).isSameAs(b);
    }

    @BothSchedulers
    void aCurrentTheSchedulerDidNotPlaceIsAccepted(final String name)
    {
        start(name);

        assertThat(s.schedule(0, b, 0).next()).isSameAs(b);
        s.sleep(b, MS);
        assertThat(s.schedule(0, null, MS).next()).isSameAs(a);
        assertThat(s.schedule(0, b, 2 * MS).next()).as("b is blocked: not run").isSameAs(a);
    }

    @BothSchedulers
    void blockedAndRemovedVcpusAreNeverPicked(final String name)
    {
        start(name);
        s.sleep(a, 0);
        s.remove(b, 0);

        assertThat(s.state(a).priority()).isEqualTo(Priority.IDLE);
        assertThat(s.schedule(0, null, 0)).isEqualTo(Scheduler.Decision.IDLE);
        assertThatIllegalArgumentException().isThrownBy(() -> s.wake(b, 0))
            .withMessage("vCPU d2v0 was not inserted into this scheduler");
    }

    @BothSchedulers
    void usingItBeforeInitIsAnError(final String name)
    {
        final Scheduler fresh = Schedulers.load().create(name);
        assertThatIllegalStateException().isThrownBy(() -> fresh.insert(new SchedVcpu(1, 0, SchedParams.DEFAULTS), 0))
            .withMessage(name + " scheduler: init was not called");
    }

    /** One slot, two runnable vCPUs of domains 1 and 2. */
    private void start(final String name)
    {
        s = Schedulers.load().create(name);
        s.init(SchedulerSettings.defaults(1));
        a = runnable(s, 1);
        b = runnable(s, 2);
    }

    private static SchedVcpu runnable(final Scheduler scheduler, final int domid)
    {
        final SchedVcpu v = new SchedVcpu(domid, 0, SchedParams.DEFAULTS);
        scheduler.insert(v, 0);
        scheduler.wake(v, 0);
        return v;
    }
}
