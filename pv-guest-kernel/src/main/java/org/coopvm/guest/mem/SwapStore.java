package org.coopvm.guest.mem;

import org.agrona.concurrent.AtomicBuffer;

import java.util.function.BooleanSupplier;

/**
 * Where {@link SwapSpace} writes pages out and reads them back: a swap device (the guest's swap
 * driver puts one over a blkif disk), in page-sized slots {@code 0 .. slots() - 1}. Both transfers
 * are synchronous: they return once the data is on the device or in the page, or failed.
 *
 * <p>Thread safety: {@link SwapSpace} calls {@link #write} and {@link #read} one at a time (it
 * holds its I/O gate), from whichever thread reclaims or faults: a vCPU (a workload's step, the
 * balloon driver's task) or another guest thread; never while it holds a lock another vCPU could
 * need. {@link #await} from any thread, concurrently.
 */
public interface SwapStore
{
    /** @return page slots on the device. */
    int slots();

    /** @return most pages one {@link #write} takes. */
    int batchPages();

    /**
     * Write pages to their slots and wait until all are written.
     *
     * @param slots where each page goes.
     * @param pages the pages (4096-byte views), not changed meanwhile.
     * @param count how many, at most {@link #batchPages()}.
     * @return whether every write succeeded (false: treat none as written).
     */
    boolean write(int[] slots, AtomicBuffer[] pages, int count);

    /**
     * Read a slot into a page and wait until it is there.
     *
     * @param slot the slot.
     * @param page where it goes (a 4096-byte view).
     * @return whether it succeeded.
     */
    boolean read(int slot, AtomicBuffer page);

    /**
     * Wait, the way this device's completions need (a vCPU that runs them keeps running them),
     * until {@code condition} holds or the timeout passes.
     *
     * @param condition what to wait for; re-checked after every wake-up.
     * @param timeoutNs the longest wait.
     * @return whether the condition holds.
     */
    boolean await(BooleanSupplier condition, long timeoutNs);
}
