package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.event.EventChannels;
import org.coopvm.rings.hypercall.HypercallRequest;

import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.*;

/**
 * event_channel_op: decodes each command's arguments and calls {@link EventChannels}.
 *
 * <p>Thread safety: the dispatcher thread.
 */
final class EventChannelOps
{
    private final EventChannels events;
    private final int[] status = new int[4];

    EventChannelOps(final EventChannels events)
    {
        this.events = events;
    }

    OpHandler table()
    {
        return CommandTable.builder("event_channel_op")
            .on(EVTCHNOP_BIND_INTERDOMAIN, 8, ctx -> events.bindInterdomain(ctx.domain(),
                arg(ctx, BIND_INTERDOMAIN_REMOTE_DOM_OFFSET), arg(ctx, BIND_INTERDOMAIN_REMOTE_PORT_OFFSET)))
            .on(EVTCHNOP_BIND_VIRQ, 8, ctx -> events.bindVirq(ctx.domain(), arg(ctx, BIND_VIRQ_VIRQ_OFFSET), arg(ctx, BIND_VIRQ_VCPU_OFFSET)))
            .on(EVTCHNOP_CLOSE, 4, ctx -> events.close(ctx.domain(), arg(ctx, PORT_OFFSET)))
            .on(EVTCHNOP_SEND, 4, ctx -> events.send(ctx.domain(), arg(ctx, PORT_OFFSET)))
            .on(EVTCHNOP_COOP_SEND_ASYNC, 4, ctx -> ctx.unanswered(events.send(ctx.domain(), arg(ctx, PORT_OFFSET))))
            .on(EVTCHNOP_STATUS, 8, this::status)
            .on(EVTCHNOP_ALLOC_UNBOUND, 8, ctx -> events.allocUnbound(ctx.domain(), arg(ctx, DOM_OFFSET), arg(ctx, ALLOC_UNBOUND_REMOTE_DOM_OFFSET)))
            .on(EVTCHNOP_BIND_IPI, 4, ctx -> events.bindIpi(ctx.domain(), arg(ctx, BIND_IPI_VCPU_OFFSET)))
            .on(EVTCHNOP_BIND_VCPU, 8, ctx -> events.bindVcpu(ctx.domain(), arg(ctx, PORT_OFFSET), arg(ctx, BIND_VCPU_VCPU_OFFSET)))
            .on(EVTCHNOP_UNMASK, 4, ctx -> events.unmask(ctx.domain(), arg(ctx, PORT_OFFSET)))
            .on(EVTCHNOP_RESET, 4, ctx -> events.reset(ctx.domain(), arg(ctx, DOM_OFFSET)))
            .build();
    }

    private long status(final HypercallContext ctx)
    {
        final long result = events.status(ctx.domain(), arg(ctx, DOM_OFFSET), arg(ctx, STATUS_PORT_OFFSET), status);
        if (result == 0)
        {
            ctx.outInt(STATUS_STATUS_OUT_OFFSET, status[0]);
            ctx.outInt(STATUS_VCPU_OUT_OFFSET, status[1]);
            ctx.outInt(STATUS_REMOTE_DOM_OUT_OFFSET, status[2]);
            ctx.outInt(STATUS_REMOTE_PORT_OUT_OFFSET, status[3]);
        }
        return result;
    }

    private static int arg(final HypercallContext ctx, final int offset)
    {
        final HypercallRequest request = ctx.request();
        return request.argInt(offset);
    }
}
