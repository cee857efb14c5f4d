package org.coopvm.rings.doorbell;

/**
 * What a waiter waits for. Implementations are side-effect free reads of shared memory.
 *
 * <p>Called only from the waiting thread.
 */
@FunctionalInterface
public interface WakeCondition
{
    /** @return {@code true} when the waiter has work. */
    boolean ready();

    /**
     * The re-check after {@link Doorbell#prepareToSleep()}: the last look before sleeping. A
     * condition that must re-arm something first (a Xen ring's {@code RING_FINAL_CHECK} sets its
     * event index, fences, then looks again) does that here.
     *
     * @return {@code true} when the waiter has work and must not sleep.
     */
    default boolean readyAfterArming()
    {
        return ready();
    }
}
