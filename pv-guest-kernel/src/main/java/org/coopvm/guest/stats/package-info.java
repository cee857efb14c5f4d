/**
 * The guest kernel's memory statistics: a {@link org.coopvm.guest.stats.StatsSource} says what
 * to report, the {@link org.coopvm.guest.stats.StatsPublisher} task writes it into the domain's
 * balloon stats region at a period, from a timer.
 */
package org.coopvm.guest.stats;
