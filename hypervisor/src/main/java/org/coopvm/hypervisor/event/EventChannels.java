package org.coopvm.hypervisor.event;

import org.agrona.collections.Int2ObjectHashMap;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainCounter;
import org.coopvm.hypervisor.domain.DomainTable;


import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.*;

/**
 * Xen's event channel operations over every domain's {@link PortTable}: allocate, bind
 * (interdomain, virq, ipi), close, send, status, bind_vcpu, unmask, reset, and the host's
 * {@link #raiseVirq}. Results follow Xen: a port or 0 on success, minus an errno otherwise.
 * Delivery sets the target domain's shared-info bits and kicks its vCPU
 * ({@link Domain#deliverEvent}).
 *
 * <p>Thread safety: under the hypervisor lock.
 */
public final class EventChannels
{
    private final DomainTable domains;
    private final int maxChannels;
    private final Int2ObjectHashMap<PortTable> tables = new Int2ObjectHashMap<>();

    /**
     * @param domains     the domain table, for remote ends.
     * @param maxChannels per-domain limit (Xen's default 1023), below 4096.
     */
    public EventChannels(final DomainTable domains, final int maxChannels)
    {
        this.domains = domains;
        this.maxChannels = maxChannels;
        attach(domains.dom0());
    }

    /** @param domain a new domain: give it an empty port table. */
    public void attach(final Domain domain)
    {
        tables.put(domain.domid(), new PortTable(maxChannels, domain.nrVcpus()));
    }

    /**
     * EVTCHNOP_alloc_unbound.
     *
     * @param caller    the calling domain.
     * @param dom       where to allocate: DOMID_SELF or the caller (dom0: any domain).
     * @param remoteDom who may bind to it (DOMID_SELF: the caller).
     * @return the port, or -EPERM, -ESRCH, -EINVAL, -ENOSPC.
     */
    public long allocUnbound(final Domain caller, final int dom, final int remoteDom)
    {
        final Domain owner = domains.resolve(caller, dom);
        if (owner == null)
        {
            return -ESRCH;
        }
        if (owner != caller && !caller.isControlDomain())
        {
            return -EPERM;
        }
        final int allowed = remoteDom == DOMID_SELF ? caller.domid() : remoteDom;
        if (allowed < 0 || allowed > DomainTable.MAX_DOMID)
        {
            return -EINVAL;
        }
        final PortTable table = table(owner);
        final int port = table.allocate(EVTCHNSTAT_UNBOUND, 0);
        if (port == 0)
        {
            return -ENOSPC;
        }
        table.unbound(port, allowed);
        return port;
    }

    /**
     * EVTCHNOP_bind_interdomain: connect a new local port to the remote domain's unbound port
     * that allows the caller, then notify the local port once (Xen does, so that a
     * notification sent to the unbound port is not lost).
     *
     * @param caller     the calling domain.
     * @param remoteDom  the remote domain (DOMID_SELF allowed).
     * @param remotePort its unbound port.
     * @return the local port, or -ESRCH, -EINVAL, -ENOSPC.
     */
    public long bindInterdomain(final Domain caller, final int remoteDom, final int remotePort)
    {
        final Domain remote = domains.resolve(caller, remoteDom);
        if (remote == null || remote.isDying())
        {
            return -ESRCH;
        }
        final PortTable remoteTable = table(remote);
        if (remoteTable.state(remotePort) != EVTCHNSTAT_UNBOUND || remoteTable.remoteDom(remotePort) != caller.domid())
        {
            return -EINVAL;
        }
        final PortTable local = table(caller);
        final int port = local.allocate(EVTCHNSTAT_INTERDOMAIN, 0);
        if (port == 0)
        {
            return -ENOSPC;
        }
        local.interdomain(port, remote.domid(), remotePort);
        remoteTable.interdomain(remotePort, caller.domid(), port);
        caller.deliverEvent(port, 0);
        return port;
    }

    /**
     * EVTCHNOP_bind_virq.
     *
     * @param caller the calling domain.
     * @param virq   the virq, below NR_VIRQS.
     * @param vcpu   the vCPU; 0 for a global virq.
     * @return the port, or -EINVAL, -ENOENT (bad vCPU), -EEXIST (already bound), -ENOSPC.
     */
    public long bindVirq(final Domain caller, final int virq, final int vcpu)
    {
        if (virq < 0 || virq >= NR_VIRQS)
        {
            return -EINVAL;
        }
        if (!caller.isValidVcpu(vcpu))
        {
            return -ENOENT;
        }
        if (!PortTable.isPerVcpuVirq(virq) && vcpu != 0)
        {
            return -EINVAL;
        }
        final PortTable table = table(caller);
        if (table.virqPort(vcpu, virq) != 0)
        {
            return -EEXIST;
        }
        final int port = table.allocate(EVTCHNSTAT_VIRQ, vcpu);
        if (port == 0)
        {
            return -ENOSPC;
        }
        table.virq(port, virq);
        return port;
    }

    /**
     * EVTCHNOP_bind_ipi.
     *
     * @param caller the calling domain.
     * @param vcpu   the vCPU to notify.
     * @return the port, or -ENOENT, -ENOSPC.
     */
    public long bindIpi(final Domain caller, final int vcpu)
    {
        if (!caller.isValidVcpu(vcpu))
        {
            return -ENOENT;
        }
        final int port = table(caller).allocate(EVTCHNSTAT_IPI, vcpu);
        return port == 0 ? -ENOSPC : port;
    }

    /**
     * EVTCHNOP_close: free the port; an interdomain peer's port becomes unbound (allowing the
     * caller to bind again), as in Xen.
     *
     * @param caller the calling domain.
     * @param port   the port.
     * @return 0, or -EINVAL for a port that is not open.
     */
    public long close(final Domain caller, final int port)
    {
        final PortTable table = table(caller);
        if (!table.isOpen(port))
        {
            return -EINVAL;
        }
        if (table.state(port) == EVTCHNSTAT_INTERDOMAIN)
        {
            final Domain peer = domains.lookup(table.remoteDom(port));
            if (peer != null)
            {
                table(peer).unbound(table.remotePort(port), caller.domid());
            }
        }
        table.free(port);
        if (caller.eventBits() != null)
        {
            caller.eventBits().clearPending(port);
        }
        return 0;
    }

    /**
     * EVTCHNOP_send: interdomain makes the peer's port pending (kicking its vCPU), ipi the
     * caller's own; a send on an unbound port is dropped silently.
     *
     * @param caller the calling domain.
     * @param port   the port.
     * @return 0, or -EINVAL for a port that is not open or is a virq.
     */
    public long send(final Domain caller, final int port)
    {
        final PortTable table = table(caller);
        switch (table.state(port))
        {
            case EVTCHNSTAT_INTERDOMAIN ->
            {
                caller.increment(DomainCounter.EVENTS_SENT);
                final Domain peer = domains.lookup(table.remoteDom(port));
                if (peer != null && !peer.isDying())
                {
                    final int peerPort = table.remotePort(port);
                    peer.deliverEvent(peerPort, table(peer).vcpu(peerPort));
                }
                return 0;
            }
            case EVTCHNSTAT_IPI ->
            {
                caller.increment(DomainCounter.EVENTS_SENT);
                caller.deliverEvent(port, table.vcpu(port));
                return 0;
            }
            case EVTCHNSTAT_UNBOUND ->
            {
                return 0;
            }
            default ->
            {
                return -EINVAL;
            }
        }
    }

    /**
     * EVTCHNOP_status.
     *
     * @param caller the calling domain.
     * @param dom    the domain asked about (DOMID_SELF or the caller; dom0 may ask about any).
     * @param port   the port.
     * @param out    receives status, vcpu, remote dom or virq, remote port.
     * @return 0, or -ESRCH, -EPERM, -EINVAL.
     */
    public long status(final Domain caller, final int dom, final int port, final int[] out)
    {
        final Domain target = domains.resolve(caller, dom);
        if (target == null)
        {
            return -ESRCH;
        }
        if (target != caller && !caller.isControlDomain())
        {
            return -EPERM;
        }
        final PortTable table = table(target);
        if (!table.isValid(port))
        {
            return -EINVAL;
        }
        final int state = table.state(port);
        out[0] = state;
        out[1] = state == EVTCHNSTAT_CLOSED ? 0 : table.vcpu(port);
        out[2] = state == EVTCHNSTAT_VIRQ ? table.virqOf(port) : (state == EVTCHNSTAT_CLOSED ? 0 : table.remoteDom(port));
        out[3] = state == EVTCHNSTAT_INTERDOMAIN ? table.remotePort(port) : 0;
        return 0;
    }

    /**
     * EVTCHNOP_bind_vcpu: change the vCPU an unbound, interdomain or global virq port notifies.
     *
     * @param caller the calling domain.
     * @param port   the port.
     * @param vcpu   the new vCPU.
     * @return 0, or -ENOENT (bad vCPU), -EINVAL (port not open, ipi, per-vCPU virq).
     */
    public long bindVcpu(final Domain caller, final int port, final int vcpu)
    {
        if (!caller.isValidVcpu(vcpu))
        {
            return -ENOENT;
        }
        final PortTable table = table(caller);
        final int state = table.state(port);
        final boolean rebindable = state == EVTCHNSTAT_UNBOUND || state == EVTCHNSTAT_INTERDOMAIN ||
            (state == EVTCHNSTAT_VIRQ && !PortTable.isPerVcpuVirq(table.virqOf(port)));
        if (!rebindable)
        {
            return -EINVAL;
        }
        if (state == EVTCHNSTAT_VIRQ && table.virqPort(vcpu, table.virqOf(port)) != 0)
        {
            return -EEXIST;
        }
        table.rebind(port, vcpu);
        return 0;
    }

    /**
     * EVTCHNOP_unmask: clear the mask bit and re-deliver a pending event to the bound vCPU.
     *
     * @param caller the calling domain.
     * @param port   the port.
     * @return 0, or -EINVAL for a port outside the table.
     */
    public long unmask(final Domain caller, final int port)
    {
        final PortTable table = table(caller);
        if (!table.isValid(port))
        {
            return -EINVAL;
        }
        caller.unmask(port, table.isOpen(port) ? table.vcpu(port) : 0);
        return 0;
    }

    /**
     * EVTCHNOP_reset: close every port of a domain.
     *
     * @param caller the calling domain.
     * @param dom    DOMID_SELF or the caller (dom0: any domain).
     * @return 0, or -ESRCH, -EPERM.
     */
    public long reset(final Domain caller, final int dom)
    {
        final Domain target = domains.resolve(caller, dom);
        if (target == null)
        {
            return -ESRCH;
        }
        if (target != caller && !caller.isControlDomain())
        {
            return -EPERM;
        }
        closeAll(target);
        return 0;
    }

    /**
     * Host: raise a virq on a domain's vCPU (global virqs are bound on vCPU 0).
     *
     * @param domain the domain.
     * @param virq   VIRQ_TIMER, VIRQ_CONSOLE, VIRQ_DOM_EXC, VIRQ_ENOMEM, ...
     * @param vcpu   the vCPU, for per-vCPU virqs.
     * @return whether a port was bound (and is now pending).
     */
    public boolean raiseVirq(final Domain domain, final int virq, final int vcpu)
    {
        final PortTable table = tables.get(domain.domid());
        if (table == null || virq < 0 || virq >= NR_VIRQS)
        {
            return false;
        }
        final int port = table.virqPort(PortTable.isPerVcpuVirq(virq) ? vcpu : 0, virq);
        if (port == 0)
        {
            return false;
        }
        domain.deliverEvent(port, table.vcpu(port));
        return true;
    }

    /**
     * @param domain a domain.
     * @param port   one of its ports.
     * @return the vCPU the port notifies (0 for a port that is not open).
     */
    public int notifyVcpu(final Domain domain, final int port)
    {
        final PortTable table = table(domain);
        return table.isOpen(port) ? table.vcpu(port) : 0;
    }

    /**
     * @param domain a domain.
     * @param port   a port number from the guest.
     * @return whether it lies in the domain's port range.
     */
    public boolean isValidPort(final Domain domain, final int port)
    {
        return table(domain).isValid(port);
    }

    /**
     * @param domain a domain.
     * @return its open ports.
     */
    public int openPorts(final Domain domain)
    {
        final PortTable table = tables.get(domain.domid());
        return table == null ? 0 : table.open();
    }

    /** @return the per-domain channel limit. */
    public int maxChannels()
    {
        return maxChannels;
    }

    /**
     * Release everything of a domain being destroyed: close its ports (peers become unbound)
     * and forget its table.
     *
     * @param domain the domain.
     */
    public void release(final Domain domain)
    {
        if (tables.containsKey(domain.domid()))
        {
            closeAll(domain);
            tables.remove(domain.domid());
        }
    }

    private void closeAll(final Domain domain)
    {
        final PortTable table = table(domain);
        for (int port = 1; port <= table.limit(); port++)
        {
            if (table.isOpen(port))
            {
                close(domain, port);
            }
        }
    }

    private PortTable table(final Domain domain)
    {
        final PortTable table = tables.get(domain.domid());
        if (table == null)
        {
            throw new IllegalStateException(domain + " has no event channel table");
        }
        return table;
    }
}
