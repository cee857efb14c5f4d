/**
 * Memory reservations: the host's {@link org.coopvm.hypervisor.memory.MemoryPool}, each domain's
 * physmap (which of its frames are populated) and backing (its memory file or anonymous
 * mapping, whose pages are punched out when the guest gives them back), and
 * {@link org.coopvm.hypervisor.memory.Reservations}, which carries out Xen's
 * {@code increase_reservation}, {@code decrease_reservation} and {@code populate_physmap}.
 */
package org.coopvm.hypervisor.memory;
