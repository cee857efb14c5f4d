package org.coopvm.hypervisor.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Choosing a scheduler by name, as the host config's {@code scheduler} key does. */
class SchedulersTest
{
    @Test
    void findsBothShippedSchedulersThroughServiceLoader()
    {
        final Schedulers catalog = Schedulers.load();

        assertThat(catalog.names()).containsExactly("credit", "credit2");
        assertThat(catalog.create("credit")).isInstanceOf(CreditScheduler.class);
        assertThat(catalog.create("credit2")).isInstanceOf(Credit2Scheduler.class);
        assertThat(catalog.create(Schedulers.DEFAULT_NAME).name()).isEqualTo("credit");
    }

    @Test
    void eachCreateIsAFreshInstance()
    {
        final Schedulers catalog = Schedulers.load();
        assertThat(catalog.create("credit")).isNotSameAs(catalog.create("credit"));
    }

    @Test
    void unknownNameIsAnErrorNamingItAndTheKnownOnes()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> Schedulers.load().create("rtds"))
            .withMessage("unknown scheduler 'rtds'; known: credit, credit2");
    }

    @Test
    void twoSchedulersWithOneNameAreRefused()
    {
        final List<Supplier<Scheduler>> twice = List.of(CreditScheduler::new, CreditScheduler::new);
        assertThatIllegalArgumentException().isThrownBy(() -> Schedulers.of(twice))
            .withMessage("two schedulers are named credit");
    }

    @Test
    void unknownDomainInAdjustIsAnErrorNamingIt()
    {
        final Scheduler s = Schedulers.load().create("credit");
        s.init(SchedulerSettings.defaults(1));
        assertThatIllegalArgumentException().isThrownBy(() -> s.adjust(7, SchedParams.DEFAULTS, 0))
            .withMessage("domain 7 has no vCPUs in the credit scheduler");
    }
}
