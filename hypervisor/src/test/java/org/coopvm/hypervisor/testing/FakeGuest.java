package org.coopvm.hypervisor.testing;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.channel.ChannelProducer;
import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.channel.OfferResult;
import org.coopvm.rings.domain.EventChannelBits;
import org.coopvm.rings.domain.VcpuSlot;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.grant.GrantTableFrontend;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.HypercallRequest;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A guest driven from a test: speaks the ABI directly (producer on the hypercall channel,
 * consumers on the vCPU response channels, shared-info bits, grant entries), and drives the
 * dispatcher's {@code doWork()} on the test thread unless the hypervisor runs its own agent.
 */
public final class FakeGuest implements AutoCloseable
{
    private final Hypervisor hypervisor;
    private final Domain domain;
    private final boolean driveDispatcher;
    private final ChannelProducer hypercalls;
    private final ChannelConsumer[] responses;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[64 * 1024]);
    private final HypercallRequest request = new HypercallRequest();
    private final EventChannelBits bits;
    private final GrantTableFrontend grants;
    private long nextCallId = 1;

    /**
     * @param hypervisor      the hypervisor.
     * @param domain          an in-process domain.
     * @param driveDispatcher whether to call the dispatcher's doWork() while waiting.
     */
    public FakeGuest(final Hypervisor hypervisor, final Domain domain, final boolean driveDispatcher)
    {
        this.hypervisor = hypervisor;
        this.domain = domain;
        this.driveDispatcher = driveDispatcher;
        final MessageChannel channel = domain.regions().hypercall();
        this.hypercalls = channel.openProducer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
        this.responses = new ChannelConsumer[domain.nrVcpus()];
        for (int vcpu = 0; vcpu < responses.length; vcpu++)
        {
            responses[vcpu] = domain.regions().response(vcpu).openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
        }
        this.bits = new EventChannelBits().wrap(domain.regions().sharedInfo().payload());
        this.grants = new GrantTableFrontend().wrap(domain.regions().grantTable().payload(), domain.spec().maxGrantEntries());
    }

    /** @return the domain. */
    public Domain domain()
    {
        return domain;
    }

    /** @return the guest's view of its shared-info event bits. */
    public EventChannelBits bits()
    {
        return bits;
    }

    /**
     * @param vcpu a vCPU.
     * @return the guest's side of its CPU slot words (request, release, preempt flag, thread id).
     */
    public VcpuSlot slot(final int vcpu)
    {
        return new VcpuSlot().wrap(domain.regions().sharedInfo().payloadBuffer(), vcpu);
    }

    /** @return the guest's grant table. */
    public GrantTableFrontend grants()
    {
        return grants;
    }

    /** @param vcpu a vCPU. @return its response consumer (its doorbell is the vCPU's). */
    public ChannelConsumer responses(final int vcpu)
    {
        return responses[vcpu];
    }

    /**
     * Build a request in the message buffer.
     *
     * @return the request flyweight to write arguments into.
     */
    public HypercallRequest begin(final int vcpu, final int cmd)
    {
        return request.wrap(message, 0, message.capacity()).callId(nextCallId++).vcpu(vcpu).cmd(cmd);
    }

    /**
     * Offer the request begun with {@link #begin}.
     *
     * @return the call id.
     */
    public long offer(final int op, final int argsLength)
    {
        assertThat(offerRaw(op, HypercallRequest.messageLength(argsLength))).isEqualTo(OfferResult.ACCEPTED);
        return request.callId();
    }

    /** Offer the first {@code length} bytes of the message buffer as type {@code op}. */
    public OfferResult offerRaw(final int op, final int length)
    {
        final OfferResult result = hypercalls.offer(op, message, 0, length);
        hypervisor.hostDoorbell().wakeIfSleeping();
        return result;
    }

    /** @return the raw message buffer (for malformed messages). */
    public UnsafeBuffer messageBuffer()
    {
        return message;
    }

    /** Call and wait for the answer. */
    public Response call(final int op, final int argsLength)
    {
        final int vcpu = request.vcpu();
        final long callId = offer(op, argsLength);
        final Response response = await(vcpu, 5_000);
        assertThat(response.callId()).isEqualTo(callId);
        return response;
    }

    /**
     * Call with u32 arguments.
     *
     * @return the result.
     */
    public long call(final int vcpu, final int op, final int cmd, final int... args)
    {
        begin(vcpu, cmd);
        for (int i = 0; i < args.length; i++)
        {
            request.argInt(i * 4, args[i]);
        }
        return call(op, args.length * 4).result();
    }

    /** event_channel_op with u32 arguments, from vCPU 0. */
    public long evtchn(final int cmd, final int... args)
    {
        return call(0, HypercallOp.EVENT_CHANNEL_OP, cmd, args);
    }

    /** @return EVTCHNOP_alloc_unbound(DOMID_SELF, remote). */
    public int allocUnbound(final int remoteDom)
    {
        final long port = evtchn(EventChannelOpDescriptor.EVTCHNOP_ALLOC_UNBOUND, EventChannelOpDescriptor.DOMID_SELF, remoteDom);
        assertThat(port).isPositive();
        return (int)port;
    }

    /**
     * Wait for a response on a vCPU's channel, driving the dispatcher if asked to.
     *
     * @return it.
     */
    public Response await(final int vcpu, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() - deadline < 0)
        {
            final Response response = poll(vcpu);
            if (response != null)
            {
                return response;
            }
            if (driveDispatcher)
            {
                hypervisor.dispatcher().doWork();
            }
            else
            {
                responses[vcpu].awaitMessages(1_000_000L);
            }
        }
        return fail("no response on vcpu " + vcpu + " of " + domain + " within " + timeoutMs + " ms");
    }

    /** @return a response waiting on the vCPU's channel, or null. */
    public Response poll(final int vcpu)
    {
        final Response[] read = new Response[1];
        responses[vcpu].poll((type, buffer, index, length) -> read[0] = Response.decode(type, buffer, index, length), 1);
        return read[0];
    }

    @Override
    public void close()
    {
        hypercalls.close();
        for (final ChannelConsumer consumer : responses)
        {
            consumer.close();
        }
    }
}
