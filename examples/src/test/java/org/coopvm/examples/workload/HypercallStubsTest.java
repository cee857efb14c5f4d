package org.coopvm.examples.workload;

import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.hypercall.EvtchnStatus;
import org.coopvm.guest.hypercall.ExtentList;
import org.coopvm.guest.hypercall.GrantQuerySize;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.hypercall.Multicall;
import org.coopvm.guest.hypercall.MulticallResult;
import org.coopvm.guest.hypercall.RunstateInfo;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.XenVersionOpDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.*;

/**
 * The guest's typed stubs against the real hypervisor: arguments land where the hypervisor reads
 * them and outputs are decoded (called from the test thread, so routed through vCPU 0).
 */
class HypercallStubsTest
{
    private final StringBuffer console = new StringBuffer();
    private Hypervisor hypervisor;
    private GuestKernel kernel;
    private Hypercalls calls;

    @BeforeEach
    void boot()
    {
        hypervisor = new Hypervisor(HypervisorConfig.defaults(null)
            .withConsole((domain, bytes, offset, length) -> console.append(bytes.getStringWithoutLengthUtf8(offset, length))));
        hypervisor.start();
        final Domain domain = hypervisor.createDomain(DomainSpec.of("stubs", 1, 1024, true, "idle"));
        kernel = InProcessGuests.boot(hypervisor, domain);
        calls = kernel.context().hypercalls();
    }

    @AfterEach
    void shutDown()
    {
        kernel.close();
        hypervisor.close();
    }

    @Test
    void versionFeaturesConsoleAndReservations()
    {
        assertThat(calls.xenVersion()).isEqualTo((XenVersionOpDescriptor.ABI_MAJOR << 16) | XenVersionOpDescriptor.ABI_MINOR);
        assertThat(calls.xenFeatures(0) & XenVersionOpDescriptor.FEATURE_HYPERCALL_CHANNEL).isNotZero();
        final byte[] hello = "stub says hi\n".getBytes(StandardCharsets.UTF_8);
        assertThat(calls.consoleWrite(hello, 0, hello.length)).isZero();
        assertThat(console.toString()).contains("stub says hi");
        assertThat(calls.memoryCurrentReservation(DOMID_SELF)).isEqualTo(256);
        assertThat(calls.memoryMaximumReservation(DOMID_SELF)).isEqualTo(256);
        final GrantQuerySize size = calls.grantQuerySize();
        assertThat(size.result()).isZero();
        assertThat(size.status()).isZero();
        assertThat(size.maxFrames()).isPositive();
        final RunstateInfo runstate = calls.vcpuRunstateInfo(0);
        assertThat(runstate.result()).isZero();
        assertThat(calls.vcpuIsUp(0)).isEqualTo(1);
    }

    @Test
    void reservationStubsGiveFramesBackAndTakeThemAgain()
    {
        final GuestMemory memory = kernel.context().memory();
        final Allocation listPage = memory.allocatePages(1).toOptional().orElseThrow();
        final int first = memory.allocatePages(1).toOptional().orElseThrow().frame(0);
        final int second = memory.allocatePages(1).toOptional().orElseThrow().frame(0);
        final ExtentList list = new ExtentList(listPage.page(0), listPage.frame(0)).put(0, first).put(1, second);

        assertThat(calls.decreaseReservation(list.address(), 2, 0)).isEqualTo(2);
        assertThat(calls.memoryCurrentReservation(DOMID_SELF)).isEqualTo(254);
        assertThat(calls.decreaseReservation(list.address(), 1, 0)).as("already given back").isEqualTo(-Errno.EINVAL);
        assertThat(calls.populatePhysmap(list.address(), 2, 0)).isEqualTo(2);
        assertThat(calls.increaseReservation(list.address(), 1, 0)).as("populated already: a fresh page, no charge").isEqualTo(1);
        assertThat(calls.memoryCurrentReservation(DOMID_SELF)).isEqualTo(256);
        assertThat(hypervisor.memoryPool().reservedPages()).isEqualTo(256);
    }

    @Test
    void eventChannelsBindSendStatusAndClose()
    {
        final long unbound = calls.evtchnAllocUnbound(0);
        assertThat(unbound).isPositive();
        final EvtchnStatus status = calls.evtchnStatus(DOMID_SELF, (int)unbound);
        assertThat(status.result()).isZero();
        assertThat(status.status()).isEqualTo(EVTCHNSTAT_UNBOUND);
        assertThat(status.remoteDomOrVirq()).isZero();

        final long ipi = calls.evtchnBindIpi(0);
        final AtomicInteger ipis = new AtomicInteger();
        kernel.context().events().register((int)ipi, port -> ipis.incrementAndGet());
        assertThat(calls.evtchnSend((int)ipi)).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> ipis.get() == 1);

        final Multicall batch = new Multicall().evtchnSend((int)ipi).schedYield();
        final MulticallResult result = calls.multicall(batch);
        assertThat(result.result()).as("entries run").isEqualTo(2);
        assertThat(result.results()).containsExactly(0L, 0L);
        await().atMost(5, TimeUnit.SECONDS).until(() -> ipis.get() == 2);

        assertThat(calls.evtchnClose((int)unbound)).isZero();
        assertThat(calls.evtchnStatus(DOMID_SELF, (int)unbound).status()).isEqualTo(EVTCHNSTAT_CLOSED);
        assertThat(calls.evtchnSend(4000)).as("an unbound port is an errno, not an exception").isNegative();
    }

    @Test
    void aSingleshotTimerRaisesVirqTimerAndPollTimesOut()
    {
        final long timerPort = calls.evtchnBindVirq(VIRQ_TIMER, 0);
        assertThat(timerPort).isPositive();
        final AtomicInteger ticks = new AtomicInteger();
        kernel.context().events().register((int)timerPort, port -> ticks.incrementAndGet());

        assertThat(calls.vcpuSetSingleshotTimer(0, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20), 0)).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> ticks.get() == 1);

        final long ipi = calls.evtchnBindIpi(0);
        final long startNs = System.nanoTime();
        assertThat(calls.schedPoll(new int[] {(int)ipi}, startNs + TimeUnit.MILLISECONDS.toNanos(30))).isZero();
        assertThat(System.nanoTime() - startNs).as("poll waited for its deadline").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
    }
}
