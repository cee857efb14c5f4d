package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainCounter;
import org.coopvm.hypervisor.domain.DomainFaultListener;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.hypervisor.testing.TestHost;
import org.coopvm.rings.channel.OfferResult;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GuestFaultTest
{
    private final List<String> faults = new ArrayList<>();
    private final List<String> crashes = new ArrayList<>();
    private final TestHost host = new TestHost(config -> config.withLimits(1023, 10).withFaultListener(new DomainFaultListener()
    {
        @Override
        public void onGuestFault(final Domain domain, final int op, final String reason)
        {
            faults.add(reason);
        }

        @Override
        public void onCrashed(final Domain domain, final String reason)
        {
            crashes.add(domain.name() + ": " + reason);
        }
    }));
    private final FakeGuest bad = host.guest("bad");
    private final FakeGuest good = host.guest("good");

    @AfterEach
    void close()
    {
        host.close();
    }

    @Test
    void truncatedMessagesAndBadVcpusAreCountedAndPastTheThresholdTheDomainCrashes()
    {
        bad.messageBuffer().setMemory(0, 64, (byte)0);
        for (int i = 0; i < 5; i++)
        {
            assertThat(bad.offerRaw(HypercallOp.XEN_VERSION, 7)).isEqualTo(OfferResult.ACCEPTED);
        }
        bad.begin(9, 0);
        for (int i = 0; i < 5; i++)
        {
            bad.offer(HypercallOp.XEN_VERSION, 0);
        }
        host.hypervisor().dispatcher().doWork();
        assertThat(bad.domain().counter(DomainCounter.MALFORMED)).isEqualTo(10);
        assertThat(bad.domain().status()).as("at the threshold, not past it").isEqualTo(DomainStatus.RUNNING);
        assertThat(faults).contains("truncated header: 7 bytes", "hypercall from vcpu 9 of 2");

        bad.offerRaw(HypercallOp.XEN_VERSION, 3);
        host.hypervisor().dispatcher().doWork();

        assertThat(bad.domain().status()).isEqualTo(DomainStatus.SHUTDOWN);
        assertThat(bad.domain().shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_CRASH);
        assertThat(bad.domain().shutdownDetail()).contains("11 guest faults", "truncated header");
        assertThat(crashes).hasSize(1);
        assertThat(good.call(0, HypercallOp.XEN_VERSION, 0)).as("the other guest is served").isPositive();
    }

    @Test
    void aGuestThatNeverReadsItsResponsesLosesThemWithoutStallingTheHost()
    {
        int accepted = 0;
        for (int i = 0; i < 4000 && accepted < 3000; i++)
        {
            bad.begin(0, 0);
            if (bad.offerRaw(HypercallOp.XEN_VERSION, 16) == OfferResult.ACCEPTED)
            {
                accepted++;
            }
            host.hypervisor().dispatcher().doWork();
        }
        assertThat(bad.domain().counter(DomainCounter.RESPONSES_DROPPED)).isPositive();
        assertThat(bad.domain().status()).isEqualTo(DomainStatus.SHUTDOWN);
        assertThat(faults).anyMatch(reason -> reason.contains("dropped: FULL"));
        assertThat(good.call(0, HypercallOp.XEN_VERSION, 0)).isPositive();
    }

    @Test
    void aHypercallFromAVcpuWaitingInBlockAbandonsTheWait()
    {
        bad.begin(0, SchedOpDescriptor.SCHEDOP_BLOCK);
        final long blockId = bad.offer(HypercallOp.SCHED_OP, 0);
        host.hypervisor().dispatcher().doWork();
        assertThat(bad.poll(0)).isNull();

        bad.begin(0, 0);
        bad.offer(HypercallOp.XEN_VERSION, 0);
        host.hypervisor().dispatcher().doWork();

        assertThat(bad.poll(0).callId()).isEqualTo(blockId);
        assertThat(bad.poll(0).result()).isPositive();
        assertThat(bad.domain().counter(DomainCounter.MALFORMED)).isEqualTo(1);
    }
}
