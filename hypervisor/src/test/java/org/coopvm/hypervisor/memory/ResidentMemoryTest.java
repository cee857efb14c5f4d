package org.coopvm.hypervisor.memory;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.DOMID_SELF;
import static org.coopvm.rings.hypercall.MemoryOpDescriptor.*;
import static org.coopvm.rings.mem.Pages.PAGE_SIZE;

/**
 * Memory a guest gives back really leaves the machine, measured: the memory file's allocated
 * blocks ({@code fstat}) for a process guest, the mapping's resident pages ({@code mincore})
 * for an in-process one.
 */
class ResidentMemoryTest
{
    private static final long MIB = 1024 * 1024;
    private static final int PAGES = (int)(64 * MIB / PAGE_SIZE);
    private static final int DECREASE_PAGES = (int)(16 * MIB / PAGE_SIZE);

    private final ShmDirectory run = new ShmDirectory();
    private final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(run.path()));

    @AfterEach
    void close()
    {
        hypervisor.close();
        run.close();
    }

    @ParameterizedTest(name = "descending {0}")
    @ValueSource(booleans = {false, true})
    void sixteenMegabytesOfAdjacentFramesAreOnePunchWhicheverWayTheListRuns(final boolean descending)
    {
        assumeThat(run.path().startsWith("/dev/shm")).as("needs tmpfs at /dev/shm").isTrue();
        final Domain domain = hypervisor.createDomain(new DomainSpec("list", 1, 64 * 1024, 64 * 1024, 0, false, "test", Map.of(),
            4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        final AtomicBuffer guestMemory = domain.regions().memory().payloadBuffer();
        final int first = PAGES - DECREASE_PAGES;
        try (FakeGuest guest = new FakeGuest(hypervisor, domain, true))
        {
            for (final int cmd : new int[] {XENMEM_DECREASE_RESERVATION, XENMEM_POPULATE_PHYSMAP})
            {
                for (int i = 0; i < DECREASE_PAGES; i++)
                {
                    guestMemory.putLong(i * EXTENT_BYTES, descending ? PAGES - 1 - i : first + i);
                }
                final long callsBefore = domain.memory().discardCalls();
                guest.begin(0, cmd).argLong(EXTENT_START_OFFSET, 0).argLong(NR_EXTENTS_OFFSET, DECREASE_PAGES)
                    .argInt(EXTENT_ORDER_OFFSET, 0).argInt(MEM_FLAGS_OFFSET, 0).argInt(DOMID_OFFSET, DOMID_SELF);
                assertThat(guest.call(HypercallOp.MEMORY_OP, RESERVATION_ARGS_LENGTH).result()).isEqualTo(DECREASE_PAGES);
                assertThat(domain.memory().discardCalls() - callsBefore).as("cmd " + cmd + ": one system call").isEqualTo(1);
            }
        }
        assertThat(domain.memory().physmap().populatedPages()).isEqualTo(PAGES);
    }

    @ParameterizedTest(name = "in-process {0}")
    @ValueSource(booleans = {false, true})
    void decreasingSixteenMegabytesReturnsSixteenMegabytesToTheMachine(final boolean inProcess)
    {
        assumeThat(run.path().startsWith("/dev/shm")).as("needs tmpfs at /dev/shm").isTrue();
        final Domain domain = hypervisor.createDomain(new DomainSpec("big", 1, 64 * 1024, 64 * 1024, 0, inProcess, "test", Map.of(),
            4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        final DomainMemory memory = domain.memory();
        assertThat(memory.isFileBacked()).isEqualTo(!inProcess);
        assertThat(memory.residentBytes()).as("sparse at creation: the header page only").isEqualTo(PAGE_SIZE);
        final AtomicBuffer guestMemory = domain.regions().memory().payloadBuffer();
        guestMemory.setMemory(0, PAGES * PAGE_SIZE, (byte)0x5A); // the guest uses all its memory
        final long used = memory.residentBytes();
        assertThat(used).isEqualTo(64 * MIB + PAGE_SIZE);

        try (FakeGuest guest = new FakeGuest(hypervisor, domain, true))
        {
            final int first = PAGES - DECREASE_PAGES;
            for (int i = 0; i < DECREASE_PAGES; i++)
            {
                guestMemory.putLong(i * EXTENT_BYTES, first + i); // the extent array, in frames 0..7
            }
            guest.begin(0, XENMEM_DECREASE_RESERVATION).argLong(EXTENT_START_OFFSET, 0).argLong(NR_EXTENTS_OFFSET, DECREASE_PAGES)
                .argInt(EXTENT_ORDER_OFFSET, 0).argInt(MEM_FLAGS_OFFSET, 0).argInt(DOMID_OFFSET, DOMID_SELF);
            assertThat(guest.call(HypercallOp.MEMORY_OP, RESERVATION_ARGS_LENGTH).result()).isEqualTo(DECREASE_PAGES);
        }

        assertThat(memory.residentBytes()).as("measured, not assumed").isEqualTo(used - 16 * MIB);
        assertThat(memory.discardCalls()).as("4096 adjacent frames: one system call").isEqualTo(1);
        assertThat(memory.discardFailures()).isZero();
        assertThat(guestMemory.getByte((PAGES - 1) * PAGE_SIZE)).isZero();
        assertThat(guestMemory.getByte((PAGES - DECREASE_PAGES - 1) * PAGE_SIZE)).isEqualTo((byte)0x5A);
    }
}
