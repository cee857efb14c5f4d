package org.coopvm.examples.workload;

import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelExit;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.testing.FakeHost;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code idle} and {@code cpu-burn} on the guest kernel, against a fake host.
 */
class SimpleWorkloadsTest
{
    @Test
    void cpuBurnRunsBoundedStepsOnEveryVcpuForItsSecondsThenPowersOff() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(21, 2, "cpu-burn", Map.of("seconds", "1"));
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            assertThat(kernel.awaitTermination(Duration.ofSeconds(20))).as(host.console()).isTrue();

            assertThat(kernel.exit()).hasValue(KernelExit.shutdown(ShutdownReason.POWEROFF));
            assertThat(host.shutdownReason()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
            final Matcher done = Pattern.compile("cpu-burn: done, (\\d+) steps").matcher(host.console());
            assertThat(done.find()).as(host.console()).isTrue();
            assertThat(Long.parseLong(done.group(1))).isPositive();
        }
    }

    @Test
    void idleStaysUpDoingNothingUntilStopped() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(22, 1, "idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            await().atMost(10, TimeUnit.SECONDS).until(() -> host.console().contains("idle: dom22 is idle"));
            await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> kernel.exit().isEmpty());

            kernel.stop();

            assertThat(kernel.awaitTermination(Duration.ofSeconds(5))).isTrue();
            assertThat(kernel.exit().orElseThrow().kind()).isEqualTo(KernelExit.Kind.STOPPED);
            assertThat(host.shutdownReason()).as("a stop from outside sends no shutdown").isEqualTo(-1);
        }
    }

    @Test
    void pingpongRejectsBadArgumentsWithACrashShutdown() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(23, 1, "pingpong", Map.of("role", "referee"));
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            assertThat(kernel.awaitTermination(Duration.ofSeconds(10))).isTrue();
            assertThat(host.console()).contains("pingpong role must be ping or pong");
            assertThat(host.shutdownReason()).isEqualTo(SchedOpDescriptor.SHUTDOWN_CRASH);
        }
    }
}
