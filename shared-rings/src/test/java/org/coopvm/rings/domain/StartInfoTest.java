package org.coopvm.rings.domain;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartInfoTest
{
    private final SharedRegion region = SharedRegion.createAnonymous(RegionType.START_INFO, 1, StartInfoDescriptor.PAYLOAD_LENGTH);
    private final StartInfo info = new StartInfo().wrap(region.payloadBuffer());

    @AfterEach
    void close()
    {
        region.close();
    }

    @Test
    void fieldsWorkloadNameAndArgsRoundTrip()
    {
        final Map<String, String> args = new LinkedHashMap<>();
        args.put("peer", "pingpong-b");
        args.put("messages", "100000");
        args.put("empty", "");
        args.put("utf8", "grüße=ok");
        info.domid(7).nrVcpus(2).memoryKib(65536).maxmemKib(131072).memoryPages(32768).grantEntries(32768)
            .flags(StartInfoDescriptor.FLAG_IN_PROCESS).hypercallCapacity(65536)
            .workloadName("pingpong").workloadArgs(args);

        final StartInfo read = new StartInfo().wrap(region.payloadBuffer());
        assertThat(read.problem()).isEmpty();
        assertThat(read.domid()).isEqualTo(7);
        assertThat(read.nrVcpus()).isEqualTo(2);
        assertThat(read.isInProcess()).isTrue();
        assertThat(read.workloadName()).contains("pingpong");
        assertThat(read.workloadArgs()).hasValueSatisfying(decoded -> assertThat(decoded).containsExactlyEntriesOf(args));
    }

    @Test
    void tooLongNameOrArgsAreRefusedByTheHost()
    {
        assertThatThrownBy(() -> info.workloadName("n".repeat(StartInfoDescriptor.WORKLOAD_NAME_MAX_BYTES + 1)))
            .isInstanceOf(IllegalArgumentException.class);
        info.workloadName("é".repeat(StartInfoDescriptor.WORKLOAD_NAME_MAX_BYTES / 2));
        assertThat(info.workloadName()).hasValueSatisfying(name -> assertThat(name).hasSize(63));
        assertThatThrownBy(() -> info.workloadArgs(Map.of("k", "v".repeat(StartInfoDescriptor.WORKLOAD_ARGS_MAX_BYTES))))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidKeysAndValuesAreRefusedByTheHost()
    {
        assertThatThrownBy(() -> info.workloadArgs(Map.of("", "v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> info.workloadArgs(Map.of("a=b", "v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> info.workloadArgs(Map.of("a", "v\nx=y"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedTextFromTheSharedPageDecodesToEmpty()
    {
        region.payloadBuffer().putShort(StartInfoDescriptor.WORKLOAD_NAME_OFFSET, (short)0xFFFF);
        assertThat(info.workloadName()).as("length beyond the field").isEmpty();

        putRaw(StartInfoDescriptor.WORKLOAD_NAME_OFFSET, new byte[] {(byte)0xC3, (byte)0x28});
        assertThat(info.workloadName()).as("malformed UTF-8").isEmpty();

        for (final String bad : new String[] {"noequals\n", "=v\n", "a=1\na=2\n", "a=1"})
        {
            putRaw(StartInfoDescriptor.WORKLOAD_ARGS_OFFSET, bad.getBytes(StandardCharsets.UTF_8));
            assertThat(info.workloadArgs()).as("args %s", bad).isEmpty();
        }
        region.payloadBuffer().putShort(StartInfoDescriptor.WORKLOAD_ARGS_OFFSET, (short)(StartInfoDescriptor.WORKLOAD_ARGS_MAX_BYTES + 1));
        assertThat(info.workloadArgs()).isEmpty();
    }

    @Test
    void problemNamesOutOfRangeFields()
    {
        info.nrVcpus(1).memoryKib(4096).maxmemKib(4096).memoryPages(1024).grantEntries(512).hypercallCapacity(4096);
        assertThat(info.problem()).isEmpty();
        assertThat(info.nrVcpus(33).problem()).hasValueSatisfying(p -> assertThat(p).contains("nr_vcpus"));
        assertThat(info.nrVcpus(1).maxmemKib(2048).problem()).isPresent();
        assertThat(info.maxmemKib(8192).problem()).as("region too small for maxmem").isPresent();
    }

    private void putRaw(final int offset, final byte[] bytes)
    {
        region.payloadBuffer().putShort(offset, (short)bytes.length);
        region.payloadBuffer().putBytes(offset + 2, bytes);
    }
}
