/**
 * The balloon stats region: each guest publishes its memory statistics (virtio-balloon tags,
 * floor, working set) under a sequence lock; dom0 copies, validates and classifies them as
 * fresh, stale or invalid. They are the guest's claims, used for policy, never for safety.
 */
package org.coopvm.rings.balloon;
