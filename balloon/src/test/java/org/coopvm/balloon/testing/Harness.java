package org.coopvm.balloon.testing;

import org.coopvm.balloon.engine.BalloonEngine;
import org.coopvm.balloon.engine.DecisionRecord;
import org.coopvm.balloon.policy.PolicyCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link BalloonEngine} over a {@link SimulatedHost}, on a clock the test moves a period per round. */
public final class Harness
{
    private final SimulatedHost host;
    private final AtomicLong clockNs = new AtomicLong(1_000_000_000L);
    private final List<DecisionRecord> heard = new ArrayList<>();
    private final BalloonEngine engine;

    /**
     * @param host      the simulated host.
     * @param policy    the policy's name.
     * @param arguments its parameters.
     */
    public Harness(final SimulatedHost host, final String policy, final String... arguments)
    {
        final PolicyCatalog catalog = PolicyCatalog.load();
        this.host = host;
        this.engine = new BalloonEngine(catalog, catalog.select(policy, List.of(arguments)), host, host, heard::add,
            clockNs::get, BalloonEngine.DEFAULT_HISTORY_CAPACITY);
    }

    /** @return the engine. */
    public BalloonEngine engine()
    {
        return engine;
    }

    /** @return the host. */
    public SimulatedHost host()
    {
        return host;
    }

    /**
     * Run one round: the first at once, then each a period later.
     *
     * @return the round's records, one per domain.
     */
    public List<DecisionRecord> round()
    {
        final int before = heard.size();
        if (engine.rounds() > 0)
        {
            clockNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(engine.policy().periodMs()));
        }
        if (engine.doWork() == 0)
        {
            throw new AssertionError("no round ran");
        }
        return List.copyOf(heard.subList(before, heard.size()));
    }

    /**
     * @param rounds how many.
     * @param domid  a domain.
     * @return its record in each round.
     */
    public List<DecisionRecord> rounds(final int rounds, final int domid)
    {
        final List<DecisionRecord> mine = new ArrayList<>();
        for (int i = 0; i < rounds; i++)
        {
            round().stream().filter(r -> r.domid() == domid).forEach(mine::add);
        }
        return mine;
    }
}
