package org.coopvm.hypervisor.hypercall;

import org.agrona.concurrent.NanoClock;
import org.coopvm.hypervisor.domain.DomainTable;
import org.coopvm.hypervisor.domain.VcpuScheduling;
import org.coopvm.hypervisor.event.EventChannels;
import org.coopvm.hypervisor.grant.GrantTables;
import org.coopvm.hypervisor.memory.Reservations;

/**
 * What the op handlers use: domains, event channels, grant tables, reservations, timers, the
 * console sink, lifecycle control, the host clock and the CPU scheduler.
 *
 * @param domains  the domain table.
 * @param events   event channels.
 * @param grants   grant tables.
 * @param reservations the memory pool and physmaps.
 * @param timers   the timer queue.
 * @param console  console output.
 * @param control  shutdown.
 * @param clock    the host clock (ns; absolute deadlines from guests use it).
 * @param cpu      the CPU scheduler: vCPU up/down, waits, yields, runstates.
 */
record HypercallServices(
    DomainTable domains, EventChannels events, GrantTables grants, Reservations reservations, TimerQueue timers, ConsoleSink console,
    DomainControl control, NanoClock clock, VcpuScheduling cpu)
{
}
