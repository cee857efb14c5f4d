package org.coopvm.hypervisor.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.hypervisor.sched.SchedSimulator.MS;
import static org.coopvm.hypervisor.sched.SchedSimulator.US;

import java.lang.management.ManagementFactory;

/**
 * The scheduler thread runs schedule, charge and tick thousands of times a second: in steady state
 * with 16 busy vCPUs on 4 slots they allocate nothing except the one {@link Scheduler.Decision} a
 * new decision needs (asking again within a slice returns the same object).
 */
class SchedulerAllocationTest
{
    private static final int SLOTS = 4;
    private static final int VCPUS = 16;
    private static final long STEP_NS = 100 * US;
    private static final long MOST_BYTES_PER_NEW_DECISION = 32;
    private static final long SLACK_BYTES = 64 * 1024;

    @BothSchedulers
    void steadyStateAllocatesOnlyNewDecisions(final String name)
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Driver driver = new Driver(Schedulers.load().create(name));
        driver.run(2000 * MS);

        final long before = threads.getCurrentThreadAllocatedBytes();
        final long newDecisions = driver.run(10_000 * MS);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(driver.calls).isGreaterThan(4 * newDecisions);
        assertThat(allocated).isLessThanOrEqualTo(newDecisions * MOST_BYTES_PER_NEW_DECISION + SLACK_BYTES);
    }

    /** A minimal runtime loop: every 100 us charge the holders and ask each slot again; tick every 10 ms. */
    private static final class Driver
    {
        private final Scheduler scheduler;
        private final SchedVcpu[] holders = new SchedVcpu[SLOTS];
        private final Scheduler.Decision[] last = new Scheduler.Decision[SLOTS];
        private long nowNs;
        private long calls;

        Driver(final Scheduler scheduler)
        {
            this.scheduler = scheduler;
            scheduler.init(SchedulerSettings.defaults(SLOTS));
            for (int i = 0; i < VCPUS; i++)
            {
                final SchedVcpu v = new SchedVcpu(i + 1, 0, SchedParams.DEFAULTS.withWeight(128 * (1 + i % 4)));
                scheduler.insert(v, 0);
                scheduler.wake(v, 0);
            }
        }

        /** @return how many decisions were new objects. */
        long run(final long durationNs)
        {
            long fresh = 0;
            final long end = nowNs + durationNs;
            while (nowNs < end)
            {
                nowNs += STEP_NS;
                for (int slot = 0; slot < SLOTS; slot++)
                {
                    if (holders[slot] != null)
                    {
                        scheduler.charge(holders[slot], STEP_NS, nowNs);
                    }
                }
                if (nowNs % (10 * MS) == 0)
                {
                    scheduler.tick(nowNs);
                }
                for (int slot = 0; slot < SLOTS; slot++)
                {
                    final Scheduler.Decision d = scheduler.schedule(slot, holders[slot], nowNs);
                    calls++;
                    fresh += d == last[slot] ? 0 : 1;
                    last[slot] = d;
                    holders[slot] = d.next();
                }
            }
            return fresh;
        }
    }
}
