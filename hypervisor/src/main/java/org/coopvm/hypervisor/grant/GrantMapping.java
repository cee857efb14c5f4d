package org.coopvm.hypervisor.grant;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.hypervisor.domain.Domain;

/**
 * One grant mapping: who mapped which ref of which granter, the frame it names, read-only or
 * not, and a bounds-checked view of exactly that page of the granter's memory. The view stays
 * valid until {@link GrantTables#unmap} (the granter's memory is kept until every mapping of it
 * is gone, as Xen keeps a dying domain's pages); do not use it after unmapping.
 *
 * @param handle   the handle the mapper unmaps with.
 * @param mapper   the domain holding the mapping.
 * @param granter  the domain whose page it is.
 * @param ref      the grant reference.
 * @param frame    the frame in the granter's memory region.
 * @param readonly whether only reading is allowed (the view itself cannot enforce it: dom0
 *                 backends must honour it).
 * @param page     4096 bytes: the granted page.
 */
public record GrantMapping(int handle, Domain mapper, Domain granter, int ref, long frame, boolean readonly, AtomicBuffer page)
{
}
