/**
 * The workload SPI: {@link org.coopvm.guest.workload.Workload}s found by {@code ServiceLoader},
 * started with a {@link org.coopvm.guest.workload.GuestContext}.
 */
package org.coopvm.guest.workload;
