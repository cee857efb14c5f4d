package org.coopvm.guest.hypercall;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.testing.FakeHost;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.HypercallRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.DOMID_SELF;
import static org.coopvm.rings.hypercall.MemoryOpDescriptor.*;

/**
 * The reservation stubs put Xen's {@code xen_memory_reservation} on the wire with the caller's
 * extent list as the handle, and hand back the host's count or errno as it is.
 */
class ReservationStubsTest
{
    @Test
    void eachStubSendsItsCommandWithTheExtentListAsTheHandle() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(3, 1, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            final List<String> seen = new CopyOnWriteArrayList<>();
            final AtomicBuffer hostView = host.memory().payloadBuffer();
            for (final int cmd : new int[] {XENMEM_INCREASE_RESERVATION, XENMEM_DECREASE_RESERVATION, XENMEM_POPULATE_PHYSMAP})
            {
                host.handle(HypercallOp.MEMORY_OP, cmd, (request, output) -> new long[] {answer(request, hostView, seen), 0});
            }
            final Allocation page = kernel.context().memory().allocatePages(1).toOptional().orElseThrow();
            final int frame = page.frame(0);
            final ExtentList list = new ExtentList(page.page(0), frame).put(0, 40).put(1, 41).put(2, 512);
            final Hypercalls hypercalls = kernel.context().hypercalls();
            final AtomicLong onVcpu = new AtomicLong();
            final TaskHandle task = kernel.context().submit(ctx ->
            {
                onVcpu.set(hypercalls.decreaseReservation(list.address(), 2, 0));
                return StepResult.DONE;
            });

            assertThat(task.awaitDone(5, TimeUnit.SECONDS)).isTrue();
            assertThat(onVcpu).hasValue(2);
            assertThat(hypercalls.populatePhysmap(list.address(), 3, 0)).as("routed from a foreign thread").isEqualTo(3);
            assertThat(hypercalls.increaseReservation(list.address() + 16, 1, 9)).as("a failure is a value").isEqualTo(-Errno.E2BIG);

            final long address = (long)frame * 4096;
            assertThat(seen).containsExactly(
                XENMEM_DECREASE_RESERVATION + " @" + address + " order 0 flags 0 dom " + DOMID_SELF + ": [40, 41]",
                XENMEM_POPULATE_PHYSMAP + " @" + address + " order 0 flags 0 dom " + DOMID_SELF + ": [40, 41, 512]",
                XENMEM_INCREASE_RESERVATION + " @" + (address + 16) + " order 9 flags 0 dom " + DOMID_SELF + ": [512]");
        }
    }

    /** The host's side: read the struct and the array from guest memory, answer the count (or -E2BIG for order 9). */
    private static long answer(final HypercallRequest request, final AtomicBuffer memory, final List<String> seen)
    {
        final long start = request.argLong(EXTENT_START_OFFSET);
        final int nr = (int)request.argLong(NR_EXTENTS_OFFSET);
        final StringBuilder gpfns = new StringBuilder();
        for (int i = 0; i < nr; i++)
        {
            gpfns.append(i == 0 ? "" : ", ").append(memory.getLong((int)start + i * EXTENT_BYTES));
        }
        final int order = request.argInt(EXTENT_ORDER_OFFSET);
        seen.add(request.cmd() + " @" + start + " order " + order + " flags " + request.argInt(MEM_FLAGS_OFFSET) +
            " dom " + request.argUnsignedShort(DOMID_OFFSET) + ": [" + gpfns + "]");
        return order == 9 ? -Errno.E2BIG : nr;
    }
}
