/**
 * The guest balloon driver, after Linux's {@code drivers/xen/balloon.c}: it follows the
 * toolstack's {@code memory/target} (KiB) by giving frames back to the hypervisor
 * ({@code decrease_reservation}) and taking them again ({@code populate_physmap}) in batches of
 * 512, with Linux's retry backoff, a floor it never goes below, and deflate under memory
 * pressure when the host negotiated it.
 *
 * <p>{@link org.coopvm.balloon.guest.BalloonDriver} is the logic (an Agrona {@code Agent}: one
 * batch per step, no blocking, idle when converged); {@link org.coopvm.balloon.guest.BalloonTask}
 * runs it as a guest-kernel task. What it needs from the rest of the guest is two small
 * interfaces: {@link org.coopvm.balloon.guest.FrameSource} (the page allocator) and
 * {@link org.coopvm.balloon.guest.Reservation} (the {@code memory_op} hypercalls), implemented for
 * a real guest by {@link org.coopvm.balloon.guest.GuestMemoryFrames} and
 * {@link org.coopvm.balloon.guest.HypercallReservation}. The kernel does not depend on this
 * package: {@link org.coopvm.balloon.guest.BalloonGuestDriver}, a guest driver found by
 * {@code ServiceLoader}, starts a {@link org.coopvm.balloon.guest.BalloonService} (watches, pressure
 * listener, console lines) in every guest kernel.
 */
package org.coopvm.balloon.guest;
