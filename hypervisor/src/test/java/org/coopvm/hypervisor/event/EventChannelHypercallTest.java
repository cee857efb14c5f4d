package org.coopvm.hypervisor.event;

import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.DomainCounter;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.hypervisor.testing.Response;
import org.coopvm.hypervisor.testing.TestHost;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.hypercall.HypercallOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.*;

class EventChannelHypercallTest
{
    private final TestHost host = new TestHost(config -> config.withLimits(8, HypervisorConfig.DEFAULT_FAULT_THRESHOLD));
    private final FakeGuest a = host.guest("a");
    private final FakeGuest b = host.guest("b");

    @AfterEach
    void close()
    {
        host.close();
    }

    @Test
    void interdomainSendSetsThePeersBitsAndKicksItsSleepingVcpu()
    {
        final int bPort = b.allocUnbound(a.domain().domid());
        final long aPort = a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort);
        assertThat(aPort).isPositive();
        a.bits().dispatch(0, port -> { });
        final Doorbell bVcpu0 = b.responses(0).doorbell();
        final int key = bVcpu0.prepareToSleep();
        final long wakesBefore = bVcpu0.wakes();

        assertThat(a.evtchn(EVTCHNOP_SEND, (int)aPort)).isZero();

        assertThat(b.bits().isPending(bPort)).isTrue();
        assertThat(b.bits().isUpcallPending(0)).isTrue();
        assertThat(bVcpu0.wakes()).as("the sleeping vCPU was woken").isEqualTo(wakesBefore + 1);
        assertThat(bVcpu0.sequence()).isNotEqualTo(key);
        bVcpu0.cancelSleep();
        final List<Integer> ports = new ArrayList<>();
        b.bits().dispatch(0, ports::add);
        assertThat(ports).containsExactly(bPort);
        assertThat(b.domain().counter(DomainCounter.EVENTS_DELIVERED)).isEqualTo(1);
        assertThat(a.domain().counter(DomainCounter.EVENTS_SENT)).isEqualTo(1);
    }

    @Test
    void anAsyncSendNotifiesThePeerAndIsNeverAnsweredAndABadPortIsCountedNotAnswered()
    {
        final int bPort = b.allocUnbound(a.domain().domid());
        final int aPort = (int)a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort);
        final long errorsBefore = a.domain().counter(DomainCounter.HYPERCALL_ERRORS);

        a.begin(0, EVTCHNOP_COOP_SEND_ASYNC).argInt(PORT_OFFSET, aPort);
        a.offer(HypercallOp.EVENT_CHANNEL_OP, 4);
        a.begin(0, EVTCHNOP_COOP_SEND_ASYNC).argInt(PORT_OFFSET, 999);
        a.offer(HypercallOp.EVENT_CHANNEL_OP, 4);
        final Response status = status(a, aPort);

        assertThat(status.outInt(STATUS_STATUS_OUT_OFFSET)).as("the first answer is the status call's").isEqualTo(EVTCHNSTAT_INTERDOMAIN);
        assertThat(a.poll(0)).as("nothing else answered").isNull();
        assertThat(b.bits().isPending(bPort)).isTrue();
        assertThat(a.domain().counter(DomainCounter.EVENTS_SENT)).isEqualTo(1);
        assertThat(a.domain().counter(DomainCounter.HYPERCALL_ERRORS)).as("port 999").isEqualTo(errorsBefore + 1);
    }

    @Test
    void bindInterdomainNotifiesTheNewLocalPortOnce()
    {
        final int bPort = b.allocUnbound(a.domain().domid());
        final long aPort = a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort);
        assertThat(a.bits().isPending((int)aPort)).isTrue();
    }

    @Test
    void portZeroIsNeverAllocatedAndTheLimitGivesEnospc()
    {
        final List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 7; i++)
        {
            ports.add(a.allocUnbound(b.domain().domid()));
        }
        assertThat(ports).as("port 1 is the xenstore port the host made").containsExactly(2, 3, 4, 5, 6, 7, 8);
        assertThat(a.evtchn(EVTCHNOP_ALLOC_UNBOUND, DOMID_SELF, b.domain().domid())).isEqualTo(-ENOSPC);
        assertThat(a.evtchn(EVTCHNOP_CLOSE, 3)).isZero();
        assertThat(a.allocUnbound(b.domain().domid())).as("freed port reused").isEqualTo(3);
    }

    @Test
    void bindInterdomainChecksAsXen()
    {
        final int bPort = b.allocUnbound(a.domain().domid());
        final int bPortForOthers = b.allocUnbound(0);
        assertThat(a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, 999, bPort)).as("no such domain").isEqualTo(-ESRCH);
        assertThat(a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPortForOthers)).as("not allowed").isEqualTo(-EINVAL);
        assertThat(a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), 77)).as("not unbound").isEqualTo(-EINVAL);
        assertThat(a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort)).isPositive();
        assertThat(a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort)).as("already bound").isEqualTo(-EINVAL);
        assertThat(a.evtchn(EVTCHNOP_ALLOC_UNBOUND, b.domain().domid(), 0)).as("alloc in another domain").isEqualTo(-EPERM);
    }

    @Test
    void closingAnInterdomainPortLeavesThePeerUnboundAndItsSendsAreDropped()
    {
        final int bPort = b.allocUnbound(a.domain().domid());
        final int aPort = (int)a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort);

        assertThat(a.evtchn(EVTCHNOP_CLOSE, aPort)).isZero();

        final Response status = status(b, bPort);
        assertThat(status.outInt(STATUS_STATUS_OUT_OFFSET)).isEqualTo(EVTCHNSTAT_UNBOUND);
        assertThat(status.outInt(STATUS_REMOTE_DOM_OUT_OFFSET)).isEqualTo(a.domain().domid());
        assertThat(b.evtchn(EVTCHNOP_SEND, bPort)).as("send on unbound: dropped").isZero();
        assertThat(a.evtchn(EVTCHNOP_SEND, aPort)).as("send on closed").isEqualTo(-EINVAL);
        assertThat(a.evtchn(EVTCHNOP_CLOSE, aPort)).isEqualTo(-EINVAL);
        assertThat(a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort)).as("a may bind again").isPositive();
    }

    @Test
    void statusDescribesEachKindOfPort()
    {
        final int bPort = b.allocUnbound(a.domain().domid());
        final int aPort = (int)a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort);
        final int virq = (int)a.evtchn(EVTCHNOP_BIND_VIRQ, VIRQ_TIMER, 1);
        final int ipi = (int)a.evtchn(EVTCHNOP_BIND_IPI, 1);

        assertThat(status(a, aPort).outInt(STATUS_STATUS_OUT_OFFSET)).isEqualTo(EVTCHNSTAT_INTERDOMAIN);
        assertThat(status(a, aPort).outInt(STATUS_REMOTE_PORT_OUT_OFFSET)).isEqualTo(bPort);
        assertThat(status(a, virq).outInt(STATUS_STATUS_OUT_OFFSET)).isEqualTo(EVTCHNSTAT_VIRQ);
        assertThat(status(a, virq).outInt(STATUS_REMOTE_DOM_OUT_OFFSET)).isEqualTo(VIRQ_TIMER);
        assertThat(status(a, virq).outInt(STATUS_VCPU_OUT_OFFSET)).isEqualTo(1);
        assertThat(status(a, ipi).outInt(STATUS_STATUS_OUT_OFFSET)).isEqualTo(EVTCHNSTAT_IPI);
        assertThat(status(a, 5).outInt(STATUS_STATUS_OUT_OFFSET)).isEqualTo(EVTCHNSTAT_CLOSED);
        assertThat(a.evtchn(EVTCHNOP_STATUS, b.domain().domid(), bPort)).as("other domain").isEqualTo(-EPERM);
        assertThat(a.evtchn(EVTCHNOP_STATUS, DOMID_SELF, 4000)).isEqualTo(-EINVAL);
    }

    @Test
    void virqBindingRulesAndRaiseVirqDelivers()
    {
        final long timer1 = a.evtchn(EVTCHNOP_BIND_VIRQ, VIRQ_TIMER, 1);
        assertThat(timer1).isPositive();
        assertThat(a.evtchn(EVTCHNOP_BIND_VIRQ, VIRQ_TIMER, 1)).isEqualTo(-EEXIST);
        assertThat(a.evtchn(EVTCHNOP_BIND_VIRQ, VIRQ_TIMER, 0)).as("per-vCPU virq on another vCPU").isPositive();
        assertThat(a.evtchn(EVTCHNOP_BIND_VIRQ, VIRQ_CONSOLE, 1)).as("global virq off vCPU 0").isEqualTo(-EINVAL);
        assertThat(a.evtchn(EVTCHNOP_BIND_VIRQ, VIRQ_TIMER, 2)).as("no vCPU 2").isEqualTo(-ENOENT);
        assertThat(a.evtchn(EVTCHNOP_BIND_VIRQ, NR_VIRQS, 0)).isEqualTo(-EINVAL);
        final long enomem = a.evtchn(EVTCHNOP_BIND_VIRQ, VIRQ_ENOMEM, 0);

        assertThat(host.hypervisor().raiseVirq(a.domain().domid(), VIRQ_ENOMEM, 0)).isTrue();
        assertThat(host.hypervisor().raiseVirq(a.domain().domid(), VIRQ_CONSOLE, 0)).as("not bound").isFalse();
        assertThat(host.hypervisor().raiseVirq(a.domain().domid(), VIRQ_TIMER, 1)).isTrue();

        assertThat(a.bits().isPending((int)enomem)).isTrue();
        assertThat(a.bits().isPending((int)timer1)).isTrue();
        assertThat(a.bits().isUpcallPending(1)).isTrue();
        assertThat(a.evtchn(EVTCHNOP_SEND, (int)enomem)).as("send on a virq").isEqualTo(-EINVAL);
    }

    @Test
    void ipiDeliversToTheCallersOwnVcpuAndBindVcpuMovesAPort()
    {
        final int ipi = (int)a.evtchn(EVTCHNOP_BIND_IPI, 1);
        assertThat(a.evtchn(EVTCHNOP_SEND, ipi)).isZero();
        assertThat(a.bits().isUpcallPending(1)).isTrue();
        assertThat(a.bits().isUpcallPending(0)).isFalse();
        assertThat(a.evtchn(EVTCHNOP_BIND_VCPU, ipi, 0)).as("ipi cannot move").isEqualTo(-EINVAL);

        final int bPort = b.allocUnbound(a.domain().domid());
        final int aPort = (int)a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort);
        assertThat(b.evtchn(EVTCHNOP_BIND_VCPU, bPort, 1)).isZero();
        assertThat(b.evtchn(EVTCHNOP_BIND_VCPU, bPort, 5)).isEqualTo(-ENOENT);
        a.evtchn(EVTCHNOP_SEND, aPort);
        assertThat(b.bits().isUpcallPending(1)).isTrue();
        assertThat(b.bits().isUpcallPending(0)).isFalse();
    }

    @Test
    void unmaskRedeliversAnEventThatArrivedWhileMasked()
    {
        final int bPort = b.allocUnbound(a.domain().domid());
        final int aPort = (int)a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort);
        b.bits().mask(bPort);

        a.evtchn(EVTCHNOP_SEND, aPort);
        assertThat(b.bits().isPending(bPort)).isTrue();
        assertThat(b.bits().isUpcallPending(0)).isFalse();

        assertThat(b.evtchn(EVTCHNOP_UNMASK, bPort)).isZero();
        assertThat(b.bits().isUpcallPending(0)).isTrue();
        final List<Integer> ports = new ArrayList<>();
        b.bits().dispatch(0, ports::add);
        assertThat(ports).containsExactly(bPort);
        assertThat(b.evtchn(EVTCHNOP_UNMASK, 0)).isEqualTo(-EINVAL);
    }

    @Test
    void resetClosesEveryPortAndUnbindsPeers()
    {
        final int bPort = b.allocUnbound(a.domain().domid());
        a.evtchn(EVTCHNOP_BIND_INTERDOMAIN, b.domain().domid(), bPort);
        a.evtchn(EVTCHNOP_BIND_IPI, 0);

        assertThat(a.evtchn(EVTCHNOP_RESET, DOMID_SELF)).isZero();

        assertThat(host.hypervisor().locked(() -> host.hypervisor().eventChannels().openPorts(a.domain()))).isZero();
        assertThat(status(b, bPort).outInt(STATUS_STATUS_OUT_OFFSET)).isEqualTo(EVTCHNSTAT_UNBOUND);
        assertThat(a.evtchn(EVTCHNOP_RESET, b.domain().domid())).isEqualTo(-EPERM);
    }

    @Test
    void dom0BackendBindsToAGuestPortAndReceivesItsNotifications()
    {
        final List<Integer> dom0Events = new ArrayList<>();
        host.hypervisor().dom0EventSink(dom0Events::add);
        final int gPort = a.allocUnbound(0);
        final long dom0Port = host.hypervisor().dom0BindInterdomain(a.domain().domid(), gPort);
        assertThat(dom0Port).isPositive();
        dom0Events.clear();

        a.evtchn(EVTCHNOP_SEND, gPort);
        assertThat(dom0Events).containsExactly((int)dom0Port);
        assertThat(host.hypervisor().dom0Send((int)dom0Port)).isZero();
        assertThat(a.bits().isPending(gPort)).isTrue();
    }

    @Test
    void shortArgumentsAreMalformedAndUnknownCommandsEnosys()
    {
        a.begin(0, EVTCHNOP_SEND);
        assertThat(a.call(HypercallOp.EVENT_CHANNEL_OP, 2).result()).isEqualTo(-EINVAL);
        assertThat(a.call(0, HypercallOp.EVENT_CHANNEL_OP, 2)).isEqualTo(-ENOSYS);
        assertThat(a.domain().counter(DomainCounter.MALFORMED)).isEqualTo(2);
    }

    private static Response status(final FakeGuest guest, final int port)
    {
        guest.begin(0, EVTCHNOP_STATUS).argInt(0, DOMID_SELF).argInt(4, port);
        return guest.call(HypercallOp.EVENT_CHANNEL_OP, 8);
    }
}
