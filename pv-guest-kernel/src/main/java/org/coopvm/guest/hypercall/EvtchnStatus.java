package org.coopvm.guest.hypercall;

/**
 * Output of {@code EVTCHNOP_status}.
 *
 * <p>Thread safety: immutable.
 *
 * @param result           0, or minus a Xen errno (then the other fields are 0).
 * @param status           closed 0, unbound 1, interdomain 2, pirq 3, virq 4, ipi 5.
 * @param vcpu             the vCPU the port notifies.
 * @param remoteDomOrVirq  the remote domain (unbound, interdomain) or the virq.
 * @param remotePort       the remote port (interdomain).
 */
public record EvtchnStatus(long result, int status, int vcpu, int remoteDomOrVirq, int remotePort)
{
}
