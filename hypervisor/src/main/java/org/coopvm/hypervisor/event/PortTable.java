package org.coopvm.hypervisor.event;

import org.coopvm.rings.domain.SharedInfoDescriptor;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;

import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.*;

/**
 * One domain's event channel ports: state (Xen's EVTCHNSTAT_* values, closed = free), the vCPU
 * each notifies, the remote end or virq, and the per-vCPU virq bindings. Ports 1..limit exist;
 * port 0 is never allocated, as in Xen.
 *
 * <p>Thread safety: under the hypervisor lock.
 */
final class PortTable
{
    private final int limit;
    private final int[] state;
    private final int[] vcpu;
    private final int[] remoteDom;
    private final int[] remotePortOrVirq;
    private final int[][] virqPorts;
    private int open;

    PortTable(final int limit, final int nrVcpus)
    {
        if (limit < 1 || limit >= SharedInfoDescriptor.NR_EVENT_CHANNELS)
        {
            throw new IllegalArgumentException("event channel limit " + limit + " outside 1.." + (SharedInfoDescriptor.NR_EVENT_CHANNELS - 1));
        }
        this.limit = limit;
        this.state = new int[limit + 1];
        this.vcpu = new int[limit + 1];
        this.remoteDom = new int[limit + 1];
        this.remotePortOrVirq = new int[limit + 1];
        this.virqPorts = new int[Math.max(1, nrVcpus)][NR_VIRQS];
    }

    boolean isValid(final int port)
    {
        return port > 0 && port <= limit;
    }

    boolean isOpen(final int port)
    {
        return isValid(port) && state[port] != EVTCHNSTAT_CLOSED;
    }

    /** @return a free port, or 0 when the limit is reached. */
    int allocate(final int status, final int notifyVcpu)
    {
        for (int port = 1; port <= limit; port++)
        {
            if (state[port] == EVTCHNSTAT_CLOSED)
            {
                state[port] = status;
                vcpu[port] = notifyVcpu;
                remoteDom[port] = 0;
                remotePortOrVirq[port] = 0;
                open++;
                return port;
            }
        }
        return 0;
    }

    void free(final int port)
    {
        if (state[port] == EVTCHNSTAT_VIRQ)
        {
            virqPorts[vcpu[port]][remotePortOrVirq[port]] = 0;
        }
        state[port] = EVTCHNSTAT_CLOSED;
        open--;
    }

    void unbound(final int port, final int allowedRemoteDom)
    {
        state[port] = EVTCHNSTAT_UNBOUND;
        remoteDom[port] = allowedRemoteDom;
        remotePortOrVirq[port] = 0;
    }

    void interdomain(final int port, final int peerDom, final int peerPort)
    {
        state[port] = EVTCHNSTAT_INTERDOMAIN;
        remoteDom[port] = peerDom;
        remotePortOrVirq[port] = peerPort;
    }

    void virq(final int port, final int virq)
    {
        remotePortOrVirq[port] = virq;
        virqPorts[vcpu[port]][virq] = port;
    }

    void rebind(final int port, final int newVcpu)
    {
        if (state[port] == EVTCHNSTAT_VIRQ)
        {
            virqPorts[vcpu[port]][remotePortOrVirq[port]] = 0;
            virqPorts[newVcpu][remotePortOrVirq[port]] = port;
        }
        vcpu[port] = newVcpu;
    }

    int state(final int port)
    {
        return isValid(port) ? state[port] : EVTCHNSTAT_CLOSED;
    }

    int vcpu(final int port)
    {
        return vcpu[port];
    }

    int remoteDom(final int port)
    {
        return remoteDom[port];
    }

    int remotePort(final int port)
    {
        return remotePortOrVirq[port];
    }

    int virqOf(final int port)
    {
        return remotePortOrVirq[port];
    }

    int virqPort(final int virqVcpu, final int virq)
    {
        return virqVcpu < virqPorts.length ? virqPorts[virqVcpu][virq] : 0;
    }

    int limit()
    {
        return limit;
    }

    int open()
    {
        return open;
    }

    static boolean isPerVcpuVirq(final int virq)
    {
        return virq == EventChannelOpDescriptor.VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF || virq == VIRQ_XENPMU;
    }

    private static final int VIRQ_DEBUG = 1;
    private static final int VIRQ_XENOPROF = 7;
    private static final int VIRQ_XENPMU = 13;
}
