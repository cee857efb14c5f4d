package org.coopvm.hypervisor.testing;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.sched.Credit2Scheduler;
import org.coopvm.hypervisor.sched.CreditScheduler;
import org.coopvm.hypervisor.sched.Schedulers;
import org.coopvm.hypervisor.sched.runtime.FifoScheduler;
import org.coopvm.hypervisor.usage.UsageConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A hypervisor for tests with a manual clock and in-process domains driven by {@link FakeGuest}s
 * on the test thread (no agent thread). Closing it closes the guests and the hypervisor.
 */
public final class TestHost implements AutoCloseable
{
    /** The shipped algorithms and the mechanism tests' round robin ({@link FifoScheduler#NAME}). */
    public static final Schedulers SCHEDULERS = Schedulers.of(List.of(CreditScheduler::new, Credit2Scheduler::new, FifoScheduler::new));

    private final ManualNanoClock clock = new ManualNanoClock();
    private final Hypervisor hypervisor;
    private final List<FakeGuest> guests = new ArrayList<>();

    /** A host with default limits. */
    public TestHost()
    {
        this(UnaryOperator.identity());
    }

    /** @param tweak adjusts the default config (the manual clock is already in). */
    public TestHost(final UnaryOperator<HypervisorConfig> tweak)
    {
        this(null, tweak);
    }

    /**
     * @param runDir a run directory (region files, so domains may be process domains), or {@code null}.
     * @param tweak  adjusts the default config (the manual clock is already in).
     */
    public TestHost(final Path runDir, final UnaryOperator<HypervisorConfig> tweak)
    {
        hypervisor = new Hypervisor(tweak.apply(HypervisorConfig.defaults(runDir).withNanoClock(clock)), UsageConfig.DEFAULTS,
            SCHEDULERS);
    }

    /** @return the hypervisor. */
    public Hypervisor hypervisor()
    {
        return hypervisor;
    }

    /** @return the manual host clock. */
    public ManualNanoClock clock()
    {
        return clock;
    }

    /** @return a new in-process guest with 2 vCPUs and 1 MiB. */
    public FakeGuest guest(final String name)
    {
        return guest(DomainSpec.of(name, 2, 1024, true, "test"));
    }

    /** @return a new guest from a spec (in-process). */
    public FakeGuest guest(final DomainSpec spec)
    {
        final FakeGuest guest = new FakeGuest(hypervisor, hypervisor.createDomain(spec), true);
        guests.add(guest);
        return guest;
    }

    @Override
    public void close()
    {
        guests.forEach(FakeGuest::close);
        hypervisor.close();
    }
}
