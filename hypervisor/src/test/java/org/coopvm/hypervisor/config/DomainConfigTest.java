package org.coopvm.hypervisor.config;

import org.coopvm.hypervisor.sched.SchedParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.coopvm.rings.blkif.VirtualDevice;

import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainConfigTest
{
    private static final String MINIMAL = """
        name = "pingpong-a"
        memory = 64
        workload = "idle"
        """;

    @Test
    void fullFileWithCommentsQuotesAndMultiLineListParses()
    {
        final DomainConfig config = DomainConfig.parse("""
            # two guests exchanging messages
            name = 'pingpong-a'      # single quotes work too
            memory = 128
            maxmem = 256
            minmem = 32
            vcpus = 2; cpu_weight = 512
            cap = 150
            sched_slice_ms = 5
            workload = "pingpong"
            workload_args = [ "peer=pingpong-b",
                              "messages=100000", ]
            isolation = "in-process"
            on_crash = "preserve"
            on_poweroff = "restart"
            on_reboot = "destroy"
            deflate_on_pressure = 1
            coop_policy = "memory-cooperative"
            coop_policy_args = [ "low_water=0.1", "period_ms=500" ]
            """, "pingpong-a.cfg");

        assertThat(config).isEqualTo(new DomainConfig("pingpong-a", 128, 256, 32, 2, new SchedParams(512, 150, 5), "pingpong",
            List.of("peer=pingpong-b", "messages=100000"), Isolation.IN_PROCESS,
            LifecycleAction.RESTART, LifecycleAction.DESTROY, LifecycleAction.PRESERVE, true, DomainConfig.DEFAULT_WEIGHT,
            "memory-cooperative", List.of("low_water=0.1", "period_ms=500"), List.of(), List.of(), ""));
        assertThat(config.coopPolicyArgMap()).containsExactly(Map.entry("low_water", "0.1"), Map.entry("period_ms", "500"));
    }

    @Test
    void defaultsFollowXl()
    {
        final DomainConfig config = DomainConfig.parse(MINIMAL, "a.cfg");

        assertThat(config.maxmemMib()).isEqualTo(64);
        assertThat(config.minmemMib()).isZero();
        assertThat(config.deflateOnPressure()).isFalse();
        assertThat(config.coopPolicy()).as("no cooperation policy").isEmpty();
        assertThat(config.coopPolicyArgs()).isEmpty();
        assertThat(config.vcpus()).isEqualTo(1);
        assertThat(config.sched()).as("weight 256, no cap, the host's slice").isEqualTo(SchedParams.DEFAULTS);
        assertThat(config.workloadArgs()).isEmpty();
        assertThat(config.isolation()).isEqualTo(Isolation.PROCESS);
        assertThat(config.onPoweroff()).isEqualTo(LifecycleAction.DESTROY);
        assertThat(config.onReboot()).isEqualTo(LifecycleAction.RESTART);
        assertThat(config.onCrash()).isEqualTo(LifecycleAction.DESTROY);
        assertThat(config.memoryWeight()).as("memory weight: the credit weight's default").isEqualTo(256);
        assertThat(DomainConfig.parse(MINIMAL + "memory_weight = 1024\n", "a.cfg").memoryWeight()).isEqualTo(1024);
    }

    @Test
    void disksInXlSyntaxPositionalLegacyAndKeyValue(@TempDir final Path dir)
    {
        final DomainConfig config = DomainConfig.parse(MINIMAL + """
            disk = [ 'file:/images/a.img,xvda,w',
                     '/images/b.img,raw,xvdb,ro',
                     'format=raw, vdev=xvdc, access=rw, size=64M, target=/images/with,comma.img',
                     'rel/d.img,xvdd,r' ]
            """, dir.resolve("disks.cfg").toString());

        assertThat(config.disks()).containsExactly(
            new DiskSpec(Path.of("/images/a.img"), VirtualDevice.parse("xvda").orElseThrow(), false, 0),
            new DiskSpec(Path.of("/images/b.img"), VirtualDevice.parse("xvdb").orElseThrow(), true, 0),
            new DiskSpec(Path.of("/images/with,comma.img"), VirtualDevice.parse("xvdc").orElseThrow(), false, 64L << 20),
            new DiskSpec(dir.resolve("rel/d.img"), VirtualDevice.parse("xvdd").orElseThrow(), true, 0));
        assertThat(DomainConfig.parse(MINIMAL, "a.cfg").disks()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "'/a.img,xvda,w,qcow2'                  | too many positional parameters",
        "'/a.img,qcow2,xvda,w'                  | format qcow2 is not served",
        "'/a.img,w'                             | vdev 'w' is not a Xen disk name",
        "'/a.img'                               | no vdev",
        "'xvda,w'                               | vdev 'w'",
        "'phy:/dev/sda,xvda,w'                  | phy: devices are not served",
        "'/a.img,xvda,rwx'                      | access 'rwx'",
        "'/a.img,xvda,w,size=1000'              | multiple of 512",
        "'/a.img,xvda,w,size=lots'              | not a byte count",
        "'/a.img,xvda,w,cache=none'             | unknown key 'cache'",
        "'/a.img,xvda,w,devtype=cdrom'          | devtype 'cdrom'",
        "'/a.img,xvda,w', '/b.img,xvda,w'       | vdev xvda is used twice"})
    void aBadDiskSpecIsNamedWithWhatIsWrong(final String disks, final String problem)
    {
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL + "disk = [" + disks + "]\n", "d.cfg"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("d.cfg")
            .hasMessageContaining("disk '")
            .hasMessageContaining(problem);
    }

    @Test
    void swapNamesAWritableDiskOfTheDomain()
    {
        final String disks = "disk = [ 'file:/images/a.img,xvda,w', 'file:/images/swap.img,xvdb,w,size=64M', '/images/c.img,xvdc,r' ]\n";

        assertThat(DomainConfig.parse(MINIMAL + disks + "swap = 'xvdb'\n", "s.cfg").swap()).isEqualTo("xvdb");
        assertThat(DomainConfig.parse(MINIMAL + disks, "s.cfg").swap()).as("default: no swap").isEmpty();
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL + disks + "swap = 'xvdd'\n", "s.cfg"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("s.cfg")
            .hasMessageContaining("swap")
            .hasMessageContaining("names no disk of this domain (disks: [xvda, xvdb, xvdc])");
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL + disks + "swap = 'xvdc'\n", "s.cfg"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("names a read-only disk");
    }

    @Test
    void vifsAreNumberedByPosition()
    {
        final DomainConfig config = DomainConfig.parse(MINIMAL + """
            vif = [ 'mac=00:16:3e:00:00:01,rate=10Mb/s@20ms', 'bridge=xenbr0' ]
            """, "v.cfg");

        assertThat(config.vifs()).extracting(VifConfig::handle).containsExactly(0, 1);
        assertThat(config.vifs().get(0).rateKey()).contains("25000,20000");
        assertThat(DomainConfig.parse(MINIMAL, "a.cfg").vifs()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "'mac=00:16:3e:00:00:01', 'mac=00:16:3e:00:00:01' | vif 1 'mac=00:16:3e:00:00:01': mac 00:16:3e:00:00:01 is used twice",
        "'bridge=xenbr0', 'model=e1000,queues=2'          | vif 1 'model=e1000,queues=2': vif 'model=e1000,queues=2': unknown key 'queues'"})
    void aBadVifIsNamedWithWhatIsWrong(final String vifs, final String problem)
    {
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL + "vif = [" + vifs + "]\n", "v.cfg"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("v.cfg")
            .hasMessageContaining(problem);
    }

    @Test
    void readsAFile(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("a.cfg");
        Files.writeString(file, MINIMAL);

        assertThat(DomainConfig.read(file).name()).isEqualTo("pingpong-a");
    }

    @Test
    void unknownKeyIsNamedWithItsLine()
    {
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL + "memroy = 12\n", "a.cfg"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("a.cfg:4:")
            .hasMessageContaining("unknown key 'memroy'")
            .satisfies(ex -> assertThat(((ConfigException)ex).key()).isEqualTo("memroy"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "memory        | 0                | 1..1048576",
        "memory        | \"lots\"         | must be an integer",
        "maxmem        | 32               | 64..1048576",
        "minmem        | 65               | 0..64",
        "minmem        | -1               | 0..64",
        "deflate_on_pressure | 2          | 0..1",
        "vcpus         | 33               | 1..32",
        "vcpus         | 0                | 1..32",
        "cpu_weight    | 0                | cpu_weight = 0: weight 0 outside 1..65535",
        "cpu_weight    | 65536            | 1..65535",
        "cpu_weight    | \"heavy\"        | must be an integer",
        "sched_slice_ms | 1001            | sched_slice_ms = 1001: slice 1001 ms outside 1..1000 (0 = the host's slice)",
        "sched_slice_ms | -1              | 1..1000",
        "weight        | 512              | unknown key 'weight'",
        "memory_weight | 0                | 1..65535",
        "cap           | 101              | cap = 101: cap 101 outside 0..100 (100 per vCPU, 1 vCPUs; 0 = no cap)",
        "cap           | -5               | 0..",
        "isolation     | \"container\"    | \"process\", \"in-process\"",
        "on_crash      | \"coredump\"     | \"destroy\", \"restart\", \"preserve\"",
        "on_reboot     | 1                | must be a quoted string",
        "on_poweroff   | \"halt\"         | \"destroy\", \"restart\", \"preserve\"",
        "workload_args | \"a=1\"          | must be a list of strings",
        "workload_args | [1, 2]           | non-empty quoted strings",
        "workload      | \"\"             | must name a workload",
        "name          | \"has space\"    | not allowed",
        "name          | \"12\"           | not only digits",
        "coop_policy   | \"Memory Coop\"  | not a policy name",
        "coop_policy_args | [\"low_water\"] | is not key=value",
    })
    void badValueNamesKeyValueAndAllowedRange(final String key, final String value, final String allowed)
    {
        final String text = MINIMAL.lines()
            .filter(line -> !line.startsWith(key + " "))
            .reduce("", (a, b) -> a + b + "\n") + key + " = " + value + "\n";

        assertThatThrownBy(() -> DomainConfig.parse(text, "bad.cfg"))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("bad.cfg:")
            .hasMessageContaining(key)
            .hasMessageContaining(allowed)
            .satisfies(ex -> assertThat(((ConfigException)ex).key()).isEqualTo(key));
    }

    @Test
    void cooperationArgumentsNeedAPolicyAndUniqueKeys()
    {
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL + "coop_policy_args = [ \"a=1\" ]\n", "a.cfg"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("a.cfg:4:")
            .hasMessageContaining("coop_policy_args needs a coop_policy");
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL + "coop_policy = \"p\"\ncoop_policy_args = [ \"a=1\", \"a=2\" ]\n",
            "a.cfg"))
            .hasMessageContaining("a.cfg:5:")
            .hasMessageContaining("gives a twice");
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL, "a.cfg").withCoopPolicy("", List.of("a=1")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("without a coop_policy");
    }

    @Test
    void capRangeScalesWithVcpus()
    {
        assertThat(DomainConfig.parse(MINIMAL + "vcpus = 4\ncap = 400\n", "a.cfg").sched().capPercent()).isEqualTo(400);
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL + "vcpus = 4\ncap = 401\n", "a.cfg"))
            .hasMessage("a.cfg:5: cap = 401: cap 401 outside 0..400 (100 per vCPU, 4 vCPUs; 0 = no cap)");
        assertThatThrownBy(() -> DomainConfig.parse(MINIMAL, "a.cfg").withSched(new SchedParams(256, 150, 0)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap 150 outside 0..100");
    }

    @Test
    void nameLongerThan64IsRefused()
    {
        final String text = MINIMAL.replace("pingpong-a", "x".repeat(65));

        assertThatThrownBy(() -> DomainConfig.parse(text, "a.cfg")).hasMessageContaining("a.cfg:1: name");
        assertThat(DomainConfig.parse(MINIMAL.replace("pingpong-a", "x".repeat(64)), "a.cfg").name()).hasSize(64);
    }

    @ParameterizedTest
    @CsvSource({"name", "memory", "workload"})
    void missingRequiredKeyIsNamed(final String key)
    {
        final String text = MINIMAL.lines().filter(line -> !line.startsWith(key + " ")).reduce("", (a, b) -> a + b + "\n");

        assertThatThrownBy(() -> DomainConfig.parse(text, "a.cfg"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("required key '" + key + "' is missing");
    }

    @Test
    void componentsAreCheckedWhenBuiltInCode()
    {
        assertThatThrownBy(() -> new DomainConfig("a", 64, 32, 0, 1, 256, 0, "idle", List.of(), Isolation.PROCESS,
            LifecycleAction.DESTROY, LifecycleAction.RESTART, LifecycleAction.DESTROY))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxmem");
        assertThatThrownBy(() -> new DomainConfig("a", 64, 64, 65, 1, 256, 0, "idle", List.of(), Isolation.PROCESS,
            LifecycleAction.DESTROY, LifecycleAction.RESTART, LifecycleAction.DESTROY))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("minmem");
    }
}
