/**
 * Guest-side cooperation policies (DESIGN section 7): the {@link org.coopvm.guest.coop.CooperationPolicy}
 * SPI, found by {@code ServiceLoader} and chosen per domain ({@code coop_policy}), run by the
 * kernel's {@link org.coopvm.guest.coop.CooperationRunner} every period on the usage page, with a
 * {@link org.coopvm.guest.coop.CooperationContext} to ask for memory or volunteer it. Ships
 * {@code memory-cooperative} ({@link org.coopvm.guest.coop.MemoryCooperativePolicy}).
 */
package org.coopvm.guest.coop;
