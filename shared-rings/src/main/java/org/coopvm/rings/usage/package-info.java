/**
 * The usage page (DESIGN section 7): one read-only region every guest maps, where dom0
 * publishes each domain's memory (and, later, CPU) usage and the host's free pool under a
 * sequence lock, so guests can cooperate.
 */
package org.coopvm.rings.usage;
