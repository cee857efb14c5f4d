package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.hypervisor.testing.Response;
import org.coopvm.hypervisor.testing.TestHost;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.HypercallRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.rings.hypercall.ConsoleIoOpDescriptor.*;
import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.EventChannelOpDescriptor.*;
import static org.coopvm.rings.hypercall.MemoryOpDescriptor.*;
import static org.coopvm.rings.hypercall.MulticallOpDescriptor.*;
import static org.coopvm.rings.hypercall.XenVersionOpDescriptor.*;

class InfoAndMulticallOpsTest
{
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final TestHost host = new TestHost(config -> config.withConsole((domain, bytes, offset, length) ->
    {
        final byte[] copy = new byte[length];
        bytes.getBytes(offset, copy);
        console.writeBytes(copy);
    }));
    private final FakeGuest a = host.guest("a");

    @AfterEach
    void close()
    {
        host.close();
    }

    @Test
    void xenVersionGivesTheAbiVersionAndFeatures()
    {
        assertThat(a.call(0, HypercallOp.XEN_VERSION, XENVER_VERSION)).isEqualTo((ABI_MAJOR << 16) | ABI_MINOR);
        a.begin(0, XENVER_GET_FEATURES).argInt(GET_FEATURES_SUBMAP_OFFSET, 0);
        final Response features = a.call(HypercallOp.XEN_VERSION, 4);
        assertThat(features.outInt(GET_FEATURES_BITS_OUT_OFFSET) & FEATURE_MULTICALL).isNotZero();
        assertThat(a.call(0, HypercallOp.XEN_VERSION, XENVER_GET_FEATURES, 1)).isEqualTo(-EINVAL);
    }

    @Test
    void consoleWriteReachesTheSinkAndReadIsRefused()
    {
        final byte[] text = "hello from a guest\n".getBytes(StandardCharsets.UTF_8);
        final HypercallRequest request = a.begin(0, CONSOLEIO_WRITE).argInt(WRITE_LENGTH_OFFSET, text.length);
        request.buffer().putBytes(request.argsIndex() + WRITE_BYTES_OFFSET, text);
        assertThat(a.call(HypercallOp.CONSOLE_IO, 4 + text.length).result()).isZero();
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("hello from a guest\n");

        a.begin(0, CONSOLEIO_WRITE).argInt(WRITE_LENGTH_OFFSET, 100);
        assertThat(a.call(HypercallOp.CONSOLE_IO, 4 + 10).result()).as("claims more than it carries").isEqualTo(-EINVAL);
        assertThat(a.call(0, HypercallOp.CONSOLE_IO, CONSOLEIO_WRITE, MAX_WRITE_BYTES + 1)).isEqualTo(-EINVAL);
        assertThat(a.call(0, HypercallOp.CONSOLE_IO, CONSOLEIO_READ)).isEqualTo(-EPERM);
    }

    @Test
    void memoryOpReportsCurrentAndMaximumReservation()
    {
        final FakeGuest b = host.guest(new org.coopvm.hypervisor.domain.DomainSpec("b", 1, 2048, 4096, 0, true, "t",
            java.util.Map.of(), 4, 65536, 16384));
        assertThat(b.call(0, HypercallOp.MEMORY_OP, XENMEM_CURRENT_RESERVATION, DOMID_SELF)).isEqualTo(512);
        assertThat(b.call(0, HypercallOp.MEMORY_OP, XENMEM_MAXIMUM_RESERVATION, b.domain().domid())).isEqualTo(1024);
        assertThat(b.call(0, HypercallOp.MEMORY_OP, XENMEM_MAXIMUM_RESERVATION, a.domain().domid())).isEqualTo(-EPERM);
        assertThat(b.call(0, HypercallOp.MEMORY_OP, XENMEM_MAXIMUM_RESERVATION, 999)).isEqualTo(-ESRCH);
        assertThat(b.call(0, HypercallOp.MEMORY_OP, 2, DOMID_SELF)).as("XENMEM_maximum_ram_page: not provided").isEqualTo(-ENOSYS);
    }

    @Test
    void unknownHypercallIsEnosys()
    {
        assertThat(a.call(0, 40, 0)).isEqualTo(-ENOSYS);
        assertThat(a.call(0, 1, 0)).isEqualTo(-ENOSYS);
    }

    @Test
    void multicallRunsEachEntryAndReportsEachResult()
    {
        final HypercallRequest request = a.begin(0, 0).argInt(COUNT_OFFSET, 4);
        int offset = ENTRIES_OFFSET;
        offset = entry(request, offset, HypercallOp.EVENT_CHANNEL_OP, EVTCHNOP_BIND_IPI, 0);
        offset = entry(request, offset, HypercallOp.XEN_VERSION, XENVER_VERSION);
        offset = entry(request, offset, HypercallOp.SCHED_OP, 1);
        offset = entry(request, offset, HypercallOp.MULTICALL, 0);

        final Response response = a.call(HypercallOp.MULTICALL, offset);

        assertThat(response.result()).isEqualTo(4);
        assertThat(response.outLong(0)).as("bind_ipi port, after the xenstore port").isEqualTo(2);
        assertThat(response.outLong(8)).isEqualTo((ABI_MAJOR << 16) | ABI_MINOR);
        assertThat(response.outLong(16)).as("block in a multicall").isEqualTo(-EINVAL);
        assertThat(response.outLong(24)).as("nested multicall").isEqualTo(-EINVAL);
    }

    @Test
    void multicallWithTooManyOrTruncatedEntriesIsRefused()
    {
        a.begin(0, 0).argInt(COUNT_OFFSET, 33);
        assertThat(a.call(HypercallOp.MULTICALL, 4).result()).isEqualTo(-E2BIG);
        final HypercallRequest request = a.begin(0, 0).argInt(COUNT_OFFSET, 1);
        request.argInt(ENTRIES_OFFSET + ENTRY_OP_OFFSET, HypercallOp.XEN_VERSION).argInt(ENTRIES_OFFSET + ENTRY_CMD_OFFSET, 0)
            .argInt(ENTRIES_OFFSET + ENTRY_ARGS_LENGTH_OFFSET, 1000);
        assertThat(a.call(HypercallOp.MULTICALL, ENTRIES_OFFSET + ENTRY_ARGS_OFFSET).result()).isEqualTo(-EINVAL);
    }

    private static int entry(final HypercallRequest request, final int offset, final int op, final int cmd, final int... args)
    {
        request.argInt(offset + ENTRY_OP_OFFSET, op).argInt(offset + ENTRY_CMD_OFFSET, cmd)
            .argInt(offset + ENTRY_ARGS_LENGTH_OFFSET, args.length * 4);
        for (int i = 0; i < args.length; i++)
        {
            request.argInt(offset + ENTRY_ARGS_OFFSET + i * 4, args[i]);
        }
        return offset + ENTRY_ARGS_OFFSET + args.length * 4;
    }
}
