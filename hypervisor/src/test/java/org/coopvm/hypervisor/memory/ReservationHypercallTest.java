package org.coopvm.hypervisor.memory;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.hypervisor.testing.TestHost;
import org.coopvm.rings.grant.GrantStatus;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.HypercallRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.DOMID_SELF;
import static org.coopvm.rings.hypercall.MemoryOpDescriptor.*;
import static org.coopvm.rings.mem.Pages.PAGE_SIZE;

/**
 * memory_op's reservation commands as a guest issues them: the extent array in its own memory,
 * Xen's stop-at-the-first-failure counts, each error, and the pool and physmap after each call.
 */
class ReservationHypercallTest
{
    /** 4 MiB populated of 8 MiB: frames 0..1023 populated, 1024..2047 not. */
    private static final int BOOT_PAGES = 1024;
    private static final int MAX_PAGES = 2048;
    /** Where the guest keeps its extent array: frame 0, populated. */
    private static final long ARRAY_ADDRESS = 0;

    private TestHost host = new TestHost();
    private FakeGuest guest = guest(host, "a");

    @AfterEach
    void close()
    {
        host.close();
    }

    @Test
    void decreaseGivesPagesBackToThePoolAndPopulateTakesThemAgain()
    {
        final MemoryPool pool = host.hypervisor().memoryPool();
        final long free = pool.freePages();

        assertThat(reservation(XENMEM_DECREASE_RESERVATION, 0, 100, 101, 102, 200)).isEqualTo(4);
        assertThat(currentReservation()).isEqualTo(BOOT_PAGES - 4);
        assertThat(pool.freePages()).isEqualTo(free + 4);
        assertThat(physmap().isPopulated(101)).isFalse();

        assertThat(reservation(XENMEM_POPULATE_PHYSMAP, 0, 100, 101, 102, 200)).isEqualTo(4);
        assertThat(currentReservation()).isEqualTo(BOOT_PAGES);
        assertThat(pool.freePages()).isEqualTo(free);
        assertThat(pool.pagesOf(guest.domain().domid())).isEqualTo(BOOT_PAGES);
    }

    @Test
    void increaseReservationPopulatesTheListedFramesAboveTheBootMemory()
    {
        assertThat(reservation(XENMEM_INCREASE_RESERVATION, 0, 1500, 1501, 2047)).isEqualTo(3);
        assertThat(currentReservation()).isEqualTo(BOOT_PAGES + 3);
        assertThat(physmap().isPopulated(2047)).isTrue();
    }

    @Test
    void aFailingExtentStopsTheCallAndTheCountSaysHowFarItGot()
    {
        assertThat(reservation(XENMEM_DECREASE_RESERVATION, 0, 10, 11, 1500, 12)).as("1500 is not populated").isEqualTo(2);
        assertThat(physmap().isPopulated(11)).isFalse();
        assertThat(physmap().isPopulated(12)).as("after the failure: untouched").isTrue();

        assertThat(reservation(XENMEM_DECREASE_RESERVATION, 0, 1500)).as("none done: the error").isEqualTo(-EINVAL);
        assertThat(reservation(XENMEM_DECREASE_RESERVATION, 0, 10)).as("already given back").isEqualTo(-EINVAL);
        assertThat(currentReservation()).isEqualTo(BOOT_PAGES - 2);
    }

    @Test
    void populatingPastMaxPagesIsE2bigOnceNothingWasDone()
    {
        assertThat(host.hypervisor().maxPages(guest.domain().domid(), BOOT_PAGES + 1)).isTrue();
        assertThat(guest.call(0, HypercallOp.MEMORY_OP, XENMEM_MAXIMUM_RESERVATION, DOMID_SELF)).isEqualTo(BOOT_PAGES + 1);

        assertThat(reservation(XENMEM_INCREASE_RESERVATION, 0, 1500, 1501)).isEqualTo(1);
        assertThat(reservation(XENMEM_POPULATE_PHYSMAP, 0, 1502)).isEqualTo(-E2BIG);
        assertThat(reservation(XENMEM_POPULATE_PHYSMAP, 0, 1500)).as("already populated: no new page needed").isEqualTo(1);
        assertThat(currentReservation()).isEqualTo(BOOT_PAGES + 1);
        assertThat(host.hypervisor().maxPages(guest.domain().domid(), MAX_PAGES + 1)).as("beyond the region").isFalse();
    }

    @Test
    void aShortPoolIsEnomemOnceNothingWasDone()
    {
        host.close();
        host = new TestHost(config -> config.withPoolPages(BOOT_PAGES + 2));
        guest = guest(host, "a");

        assertThat(reservation(XENMEM_INCREASE_RESERVATION, 0, 1500, 1501, 1502)).isEqualTo(2);
        assertThat(reservation(XENMEM_INCREASE_RESERVATION, 0, 1503)).isEqualTo(-ENOMEM);
        assertThat(host.hypervisor().memoryPool().freePages()).isZero();
        assertThatThrownBy(() -> guest(host, "b")).isInstanceOf(PoolShortException.class)
            .hasMessageContaining("host pool short: b needs 4 MiB, 0 MiB of 4 MiB free");
        assertThat(host.hypervisor().domains()).hasSize(1);
    }

    @Test
    void anExtentArrayOutsideTheCallersPopulatedMemoryIsEfault()
    {
        final long end = (long)MAX_PAGES * PAGE_SIZE;
        assertThat(reservationAt(XENMEM_DECREASE_RESERVATION, end - 8, 2, 0, 0, DOMID_SELF)).as("runs off the end").isEqualTo(-EFAULT);
        assertThat(reservationAt(XENMEM_DECREASE_RESERVATION, -8, 1, 0, 0, DOMID_SELF)).isEqualTo(-EFAULT);
        assertThat(reservationAt(XENMEM_DECREASE_RESERVATION, 1500L * PAGE_SIZE, 1, 0, 0, DOMID_SELF))
            .as("in a frame the guest does not have").isEqualTo(-EFAULT);
        assertThat(currentReservation()).isEqualTo(BOOT_PAGES);
    }

    @Test
    void badArgumentsAreEinvalAndOtherDomainsAreRefused()
    {
        assertThat(reservationAt(XENMEM_DECREASE_RESERVATION, ARRAY_ADDRESS, 1, MAX_EXTENT_ORDER + 1, 0, DOMID_SELF)).isEqualTo(-EINVAL);
        assertThat(reservationAt(XENMEM_DECREASE_RESERVATION, ARRAY_ADDRESS, MAX_EXTENTS + 1, 0, 0, DOMID_SELF)).isEqualTo(-EINVAL);
        assertThat(reservationAt(XENMEM_DECREASE_RESERVATION, ARRAY_ADDRESS, 1, 0, 1, DOMID_SELF)).as("mem_flags").isEqualTo(-EINVAL);
        assertThat(reservation(XENMEM_DECREASE_RESERVATION, 9, 1)).as("2 MiB extent not 2 MiB aligned").isEqualTo(-EINVAL);
        assertThat(reservation(XENMEM_POPULATE_PHYSMAP, 0, MAX_PAGES)).as("beyond the region").isEqualTo(-EINVAL);
        assertThat(reservation(XENMEM_POPULATE_PHYSMAP, 0, -1)).isEqualTo(-EINVAL);
        assertThat(reservationAt(XENMEM_DECREASE_RESERVATION, ARRAY_ADDRESS, 0, 0, 0, DOMID_SELF)).as("nothing asked").isZero();

        final FakeGuest other = host.guest("b");
        assertThat(reservationAt(XENMEM_DECREASE_RESERVATION, ARRAY_ADDRESS, 1, 0, 0, other.domain().domid())).isEqualTo(-EPERM);
        assertThat(reservationAt(XENMEM_DECREASE_RESERVATION, ARRAY_ADDRESS, 1, 0, 0, 999)).isEqualTo(-ESRCH);

        guest.begin(0, XENMEM_DECREASE_RESERVATION);
        assertThat(guest.call(HypercallOp.MEMORY_OP, 8).result()).as("truncated struct").isEqualTo(-EINVAL);
        assertThat(currentReservation()).isEqualTo(BOOT_PAGES);
    }

    @Test
    void twoMegabyteExtentsMoveFiveHundredTwelvePagesEach()
    {
        assertThat(reservation(XENMEM_DECREASE_RESERVATION, 9, 512)).isEqualTo(1);
        assertThat(currentReservation()).isEqualTo(BOOT_PAGES - 512);
        assertThat(reservation(XENMEM_POPULATE_PHYSMAP, 9, 512, 1024, 1536)).isEqualTo(3);
        assertThat(currentReservation()).isEqualTo(MAX_PAGES);
    }

    @Test
    void populatingAPopulatedFrameGivesItAFreshZeroPageAtNoCost()
    {
        final AtomicBuffer memory = guest.domain().regions().memory().payloadBuffer();
        memory.setMemory(5 * PAGE_SIZE, PAGE_SIZE, (byte)0x55);
        final long free = host.hypervisor().memoryPool().freePages();

        assertThat(reservation(XENMEM_POPULATE_PHYSMAP, 0, 5)).isEqualTo(1);

        assertThat(memory.getByte(5 * PAGE_SIZE)).isZero();
        assertThat(memory.getByte(6 * PAGE_SIZE - 1)).isZero();
        assertThat(currentReservation()).isEqualTo(BOOT_PAGES);
        assertThat(host.hypervisor().memoryPool().freePages()).isEqualTo(free);
    }

    @Test
    void aFrameAnotherDomainMapsCannotBeGivenBackAndAnUnpopulatedOneCannotBeMapped()
    {
        guest.grants().grantAccess(10, 0, 7, false);
        final Hypervisor.MapResult mapped = host.hypervisor().dom0Map(guest.domain().domid(), 10, false);
        assertThat(mapped.status()).isEqualTo(GrantStatus.GNTST_OKAY);

        assertThat(reservation(XENMEM_DECREASE_RESERVATION, 0, 7)).isEqualTo(-EBUSY);
        assertThat(host.hypervisor().dom0Unmap(mapped.mapping().handle())).isEqualTo(GrantStatus.GNTST_OKAY);
        assertThat(reservation(XENMEM_DECREASE_RESERVATION, 0, 7)).isEqualTo(1);

        guest.grants().grantAccess(11, 0, 7, false);
        assertThat(host.hypervisor().dom0Map(guest.domain().domid(), 11, false).status()).isEqualTo(GrantStatus.GNTST_BAD_PAGE);
        assertThat(guest.grants().isInUse(11)).as("not left pinned").isFalse();
    }

    @Test
    void listenersHearOneCallPerHypercallNotOnePerPage()
    {
        final List<String> heard = new ArrayList<>();
        host.hypervisor().addLifecycleListener(new DomainLifecycleListener()
        {
            @Override
            public void onReservation(final Domain domain, final int cmd, final long nrExtents, final int order, final long result)
            {
                heard.add(Reservations.commandName(cmd) + " " + nrExtents + " " + order + " " + result + " " +
                    domain.memory().physmap().populatedPages());
            }
        });

        reservation(XENMEM_DECREASE_RESERVATION, 0, 20, 21, 22, 23, 24, 25, 26, 27);
        reservation(XENMEM_POPULATE_PHYSMAP, 0, 1500);

        assertThat(heard).containsExactly("decrease_reservation 8 0 8 1016", "populate_physmap 1 0 1 1017");
    }

    @Test
    void destroyGivesEveryPageBackToThePool()
    {
        final MemoryPool pool = host.hypervisor().memoryPool();
        final long before = pool.reservedPages();
        final FakeGuest other = guest(host, "b");
        final int domid = other.domain().domid();
        assertThat(pool.reservedPages()).isEqualTo(before + BOOT_PAGES);

        host.hypervisor().destroyDomain(domid);

        assertThat(pool.reservedPages()).isEqualTo(before);
        assertThat(pool.pagesOf(domid)).isZero();
    }

    private static FakeGuest guest(final TestHost host, final String name)
    {
        return host.guest(new DomainSpec(name, 1, BOOT_PAGES * 4L, MAX_PAGES * 4L, 0, true, "test", Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
    }

    private Physmap physmap()
    {
        return guest.domain().memory().physmap();
    }

    private long currentReservation()
    {
        return guest.call(0, HypercallOp.MEMORY_OP, XENMEM_CURRENT_RESERVATION, DOMID_SELF);
    }

    /** The guest writes its gpfns at {@link #ARRAY_ADDRESS} of its memory and makes the call. */
    private long reservation(final int cmd, final int order, final long... gpfns)
    {
        final AtomicBuffer memory = guest.domain().regions().memory().payloadBuffer();
        for (int i = 0; i < gpfns.length; i++)
        {
            memory.putLong((int)ARRAY_ADDRESS + i * EXTENT_BYTES, gpfns[i]);
        }
        return reservationAt(cmd, ARRAY_ADDRESS, gpfns.length, order, 0, DOMID_SELF);
    }

    private long reservationAt(final int cmd, final long address, final long nrExtents, final int order, final int flags, final int dom)
    {
        final HypercallRequest request = guest.begin(0, cmd)
            .argLong(EXTENT_START_OFFSET, address)
            .argLong(NR_EXTENTS_OFFSET, nrExtents)
            .argInt(EXTENT_ORDER_OFFSET, order)
            .argInt(MEM_FLAGS_OFFSET, flags)
            .argShort(DOMID_OFFSET, dom);
        request.argShort(DOMID_OFFSET + 2, 0);
        request.argInt(DOMID_OFFSET + 4, 0);
        return guest.call(HypercallOp.MEMORY_OP, RESERVATION_ARGS_LENGTH).result();
    }
}
