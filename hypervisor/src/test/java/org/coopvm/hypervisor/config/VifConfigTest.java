package org.coopvm.hypervisor.config;

import org.coopvm.rings.netif.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VifConfigTest
{
    @Test
    void macAndRateAsXlWritesThem()
    {
        final VifConfig vif = VifConfig.parse(1, "mac=00:16:3e:0a:0b:0c, rate=10Mb/s@20ms, bridge=xenbr0");

        assertThat(vif.handle()).isEqualTo(1);
        assertThat(vif.mac()).contains(MacAddress.parse("00:16:3e:0a:0b:0c"));
        assertThat(vif.rateBytesPerInterval()).as("10 Mbit/s = 1.25 MB/s, 20 ms of it").isEqualTo(25_000);
        assertThat(vif.rateIntervalUs()).isEqualTo(20_000);
        assertThat(vif.rateKey()).contains("25000,20000");
        assertThat(vif.ratePacketsPerSecond()).isZero();
    }

    @Test
    void rateInBytesWithTheDefaultIntervalAndAPacketRate()
    {
        final VifConfig vif = VifConfig.parse(0, "rate=100MB/s,rate_packets=5000");

        assertThat(vif.rateIntervalUs()).isEqualTo(VifConfig.DEFAULT_INTERVAL_US);
        assertThat(vif.rateBytesPerInterval()).isEqualTo(5_000_000);
        assertThat(vif.ratePacketsPerSecond()).isEqualTo(5000);
    }

    @Test
    void anEmptySpecIsAnUnlimitedVifWithXensGeneratedMac()
    {
        final VifConfig vif = VifConfig.parse(2, "");

        assertThat(vif.mac()).isEqualTo(Optional.empty());
        assertThat(vif.rateKey()).isEmpty();
        assertThat(vif.macFor(7)).isEqualTo(MacAddress.generated(7, 2));
        assertThat(vif.macFor(7).toString()).startsWith("00:16:3e:");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mac=00:16:3e:01:02:03,vlan=3   | unknown key 'vlan'",
        "mac=zz:16:3e:01:02:03          | vif 'mac=zz",
        "rate=10Mb                      | rate '10Mb' is not RATE/s",
        "rate=10Xb/s                    | rate '10Xb/s'",
        "rate=0Mb/s                     | must be positive",
        "rate=1Mb/s@20s                 | at most 10 s",
        "rate_packets=0                 | rate_packets '0'",
        "rate_packets=-4                | rate_packets '-4'",
        "mac                            | item 'mac' is not a single key=value",
        "rate=1Mb/s,rate=2Mb/s          | item 'rate=2Mb/s'"})
    void aBadItemIsNamed(final String spec, final String problem)
    {
        assertThatThrownBy(() -> VifConfig.parse(0, spec)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(problem);
    }
}
