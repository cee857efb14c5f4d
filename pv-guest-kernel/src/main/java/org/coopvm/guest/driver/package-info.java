/**
 * The guest driver SPI: {@link org.coopvm.guest.driver.GuestDriver}s found by
 * {@code ServiceLoader}, started by the kernel after xenstore and before the workload, stopped
 * with the kernel ({@link org.coopvm.guest.driver.RunningDriver}).
 */
package org.coopvm.guest.driver;
