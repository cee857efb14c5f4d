package org.coopvm.hypervisor.memory;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.rings.hypercall.Errno;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random sequences of create, destroy, increase, decrease, populate and max-pages changes over
 * several domains of a real hypervisor, against a model: every call's result is the model's,
 * and after every step the pool's books hold: reservations sum to the populated pages of the
 * live domains and never exceed the pool, each domain owns exactly its populated frames (no
 * page is counted for two domains, a destroyed one owns nothing), and no populate takes a
 * domain past its max pages.
 */
class ReservationPropertyTest
{
    private static final long POOL_PAGES = 600;

    enum Kind
    {
        CREATE, DESTROY, INCREASE, DECREASE, POPULATE, MAX_PAGES
    }

    record Op(Kind kind, int target, int order, int size, List<Long> gpfns)
    {
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        final Arbitrary<Kind> kinds = Arbitraries.of(Kind.class);
        final Arbitrary<List<Long>> gpfns = Arbitraries.oneOf(
            Arbitraries.longs().between(0, 260), Arbitraries.longs().between(-3, 3), Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE))
            .list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(1, 256), gpfns).as(Op::new).list().ofMaxSize(60);
    }

    @Property(tries = 100)
    void poolAndOwnershipInvariantsHoldAndEveryResultIsTheModels(@ForAll("operations") final List<Op> ops)
    {
        try (Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null).withPoolPages(POOL_PAGES)))
        {
            final Model model = new Model(hypervisor);
            for (final Op op : ops)
            {
                model.apply(op);
                model.checkInvariants();
            }
        }
    }

    /** What the books should say, kept with plain bit sets. */
    static final class Model
    {
        private final Hypervisor hypervisor;
        private final List<ModelDomain> live = new ArrayList<>();
        private final List<Integer> destroyed = new ArrayList<>();
        private long free = POOL_PAGES;
        private int created;

        Model(final Hypervisor hypervisor)
        {
            this.hypervisor = hypervisor;
        }

        void apply(final Op op)
        {
            switch (op.kind())
            {
                case CREATE -> create(op.size(), op.target() * op.size() / 7);
                case DESTROY -> destroy(op.target());
                case INCREASE, POPULATE, DECREASE -> reservation(op);
                case MAX_PAGES -> maxPages(op.target(), op.size());
            }
        }

        private void create(final int capacity, final int boot)
        {
            final DomainSpec spec = new DomainSpec("d" + created++, 1, boot * 4L + 4, capacity * 4L + 4, 0, true, "test", Map.of(), 1,
                DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES);
            final int bootPages = (int)spec.bootPages();
            if (bootPages > free)
            {
                assertThatThrownBy(() -> hypervisor.createDomain(spec)).isInstanceOf(PoolShortException.class);
                return;
            }
            final Domain domain = hypervisor.createDomain(spec);
            final BitSet populated = new BitSet();
            populated.set(0, bootPages);
            live.add(new ModelDomain(domain, spec.memoryPages(), populated, new long[] {spec.memoryPages()}));
            free -= bootPages;
        }

        private void destroy(final int target)
        {
            if (live.isEmpty())
            {
                return;
            }
            final ModelDomain domain = live.remove(target % live.size());
            assertThat(hypervisor.destroyDomain(domain.domain().domid())).isTrue();
            free += domain.populated().cardinality();
            destroyed.add(domain.domain().domid());
        }

        private void maxPages(final int target, final int pages)
        {
            if (live.isEmpty())
            {
                return;
            }
            final ModelDomain domain = live.get(target % live.size());
            final boolean inRange = pages <= domain.capacity();
            assertThat(hypervisor.maxPages(domain.domain().domid(), pages)).isEqualTo(inRange);
            if (inRange)
            {
                domain.maxPages()[0] = pages;
            }
        }

        private void reservation(final Op op)
        {
            if (live.isEmpty())
            {
                return;
            }
            final ModelDomain domain = live.get(op.target() % live.size());
            final long[] gpfns = op.gpfns().stream().mapToLong(Long::longValue).toArray();
            final long before = domain.populated().cardinality();
            final long expected = op.kind() == Kind.DECREASE ?
                domain.decrease(gpfns, op.order(), this) : domain.populate(gpfns, op.order(), this);
            final long actual = hypervisor.locked(() -> call(op.kind(), domain.domain(), gpfns, op.order()));
            assertThat(actual).as("%s %s order %d on %s", op.kind(), op.gpfns(), op.order(), domain.domain()).isEqualTo(expected);
            if (op.kind() != Kind.DECREASE && domain.populated().cardinality() > before)
            {
                assertThat((long)domain.populated().cardinality()).as("max pages never passed").isLessThanOrEqualTo(domain.maxPages()[0]);
            }
        }

        private long call(final Kind kind, final Domain domain, final long[] gpfns, final int order)
        {
            final Reservations reservations = hypervisor.reservations();
            final int domid = domain.domid();
            return switch (kind)
            {
                case INCREASE -> reservations.increaseReservation(domid, domain.memory(), gpfns, gpfns.length, order);
                case POPULATE -> reservations.populatePhysmap(domid, domain.memory(), gpfns, gpfns.length, order);
                default -> reservations.decreaseReservation(domid, domain.memory(), gpfns, gpfns.length, order);
            };
        }

        void checkInvariants()
        {
            final MemoryPool pool = hypervisor.memoryPool();
            long sum = 0;
            for (final ModelDomain domain : live)
            {
                final Physmap physmap = domain.domain().memory().physmap();
                assertThat(physmap.populatedFrames()).as("%s frames", domain.domain()).isEqualTo(domain.populated());
                assertThat(physmap.populatedPages()).isEqualTo(physmap.populatedFrames().cardinality());
                assertThat(pool.pagesOf(domain.domain().domid())).as("%s owns its populated pages", domain.domain())
                    .isEqualTo(physmap.populatedPages());
                sum += physmap.populatedPages();
            }
            for (final int domid : destroyed)
            {
                assertThat(pool.pagesOf(domid)).as("destroyed dom%d owns nothing", domid).isZero();
            }
            assertThat(pool.reservedPages()).isEqualTo(sum).isLessThanOrEqualTo(pool.totalPages());
            assertThat(pool.freePages()).isEqualTo(free);
            assertThat(pool.owners()).isLessThanOrEqualTo(live.size());
        }
    }

    /** One live domain and what its physmap should hold. */
    record ModelDomain(Domain domain, int capacity, BitSet populated, long[] maxPages)
    {
        long populate(final long[] gpfns, final int order, final Model model)
        {
            final int pages = 1 << order;
            int done = 0;
            for (final long gpfn : gpfns)
            {
                if (!isValid(gpfn, pages))
                {
                    return result(done, Errno.EINVAL);
                }
                final int needed = pages - populated.get((int)gpfn, (int)gpfn + pages).cardinality();
                if (populated.cardinality() + needed > maxPages[0])
                {
                    return result(done, Errno.E2BIG);
                }
                if (needed > model.free)
                {
                    return result(done, Errno.ENOMEM);
                }
                populated.set((int)gpfn, (int)gpfn + pages);
                model.free -= needed;
                done++;
            }
            return done;
        }

        long decrease(final long[] gpfns, final int order, final Model model)
        {
            final int pages = 1 << order;
            int done = 0;
            for (final long gpfn : gpfns)
            {
                if (!isValid(gpfn, pages) || populated.get((int)gpfn, (int)gpfn + pages).cardinality() != pages)
                {
                    return result(done, Errno.EINVAL);
                }
                populated.clear((int)gpfn, (int)gpfn + pages);
                model.free += pages;
                done++;
            }
            return done;
        }

        private boolean isValid(final long gpfn, final int pages)
        {
            return gpfn >= 0 && gpfn <= capacity - pages && gpfn % pages == 0;
        }

        private static long result(final int done, final int errno)
        {
            return done > 0 ? done : -errno;
        }
    }
}
