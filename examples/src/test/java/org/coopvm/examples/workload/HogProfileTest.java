package org.coopvm.examples.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The hog's demand curves at given times, and the errors a user gets for bad arguments or a bad
 * trace file (naming the key, or the file and line).
 */
class HogProfileTest
{
    @TempDir
    Path dir;

    @Test
    void rampGoesInAStraightLineThenHolds()
    {
        final HogProfile ramp = profile(Map.of("profile", "ramp", "from_mib", "64", "to_mib", "384", "over_s", "20"));

        assertThat(ramp.demandMib(0)).isEqualTo(64);
        assertThat(ramp.demandMib(5)).isEqualTo(144);
        assertThat(ramp.demandMib(20)).isEqualTo(384);
        assertThat(ramp.demandMib(1000)).isEqualTo(384);
        assertThat(profile(Map.of("profile", "ramp", "to_mib", "10", "over_s", "10")).demandMib(2.5)).as("from 0 by default").isEqualTo(2.5);
        assertThat(profile(Map.of("profile", "ramp", "from_mib", "100", "to_mib", "0", "over_s", "4")).demandMib(1)).isEqualTo(75);
    }

    @Test
    void stepsHoldEachLevelForItsDurationThenTheLast()
    {
        final HogProfile steps = profile(Map.of("profile", "step", "levels_mib", "64, 192,320", "durations_s", "10,5,20"));

        assertThat(steps.demandMib(0)).isEqualTo(64);
        assertThat(steps.demandMib(9.99)).isEqualTo(64);
        assertThat(steps.demandMib(10)).isEqualTo(192);
        assertThat(steps.demandMib(15)).isEqualTo(320);
        assertThat(steps.demandMib(10_000)).isEqualTo(320);
    }

    @Test
    void sineStartsAtTheMeanPeaksAtAQuarterAndBottomsAtThreeQuarters()
    {
        final HogProfile sine = profile(Map.of("profile", "sine", "mean_mib", "200", "amplitude_mib", "100", "period_s", "60"));

        assertThat(sine.demandMib(0)).isCloseTo(200, within(1e-9));
        assertThat(sine.demandMib(15)).isCloseTo(300, within(1e-9));
        assertThat(sine.demandMib(45)).isCloseTo(100, within(1e-9));
        assertThat(sine.demandMib(75)).as("periodic").isCloseTo(300, within(1e-9));
    }

    @Test
    void csvIsInterpolatedLinearlyByDefaultOrStepwise() throws IOException
    {
        final Path file = write("# demand trace\nseconds,MiB\n0,10\n\n10,110\n20.5,30\n");

        final HogProfile linear = profile(Map.of("profile", "csv", "file", file.toString()));
        final HogProfile step = profile(Map.of("profile", "csv", "file", file.toString(), "interpolate", "step"));

        assertThat(linear.demandMib(5)).isEqualTo(60);
        assertThat(linear.demandMib(10)).isEqualTo(110);
        assertThat(linear.demandMib(99)).as("the last row holds").isEqualTo(30);
        assertThat(step.demandMib(5)).isEqualTo(10);
        assertThat(step.demandMib(20.49)).isEqualTo(110);
        assertThat(step.demandMib(20.5)).isEqualTo(30);
        assertThat(DemandTrace.parse(List.of("5,40", "6,50"), "t", true).demandMib(1)).as("before the first row: its value")
            .isEqualTo(40);
    }

    @Test
    void aBadCsvRowIsAnErrorNamingTheFileAndLine() throws IOException
    {
        assertThatThrownBy(() -> DemandTrace.parse(List.of("seconds,MiB", "0,10", "5;20"), "d.csv", true))
            .hasMessage("d.csv line 3: expected seconds,MiB but found '5;20'");
        assertThatThrownBy(() -> DemandTrace.parse(List.of("0,10", "", "x,20"), "d.csv", true))
            .hasMessage("d.csv line 3: seconds 'x' is not a number");
        assertThatThrownBy(() -> DemandTrace.parse(List.of("0,10", "0,20"), "d.csv", true))
            .hasMessage("d.csv line 2: seconds 0 must be at least 0 and after the previous row's 0");
        assertThatThrownBy(() -> DemandTrace.parse(List.of("1,-5"), "d.csv", true))
            .hasMessage("d.csv line 1: MiB -5 is outside 0..1048576");
        assertThatThrownBy(() -> DemandTrace.parse(List.of("0,10", "seconds,MiB"), "d.csv", true))
            .as("a header only on the first row").hasMessage("d.csv line 2: seconds 'seconds' is not a number");
        assertThatThrownBy(() -> DemandTrace.parse(List.of("# nothing"), "d.csv", true)).hasMessage("d.csv: no seconds,MiB rows");
        final Path missing = dir.resolve("missing.csv");
        assertThatThrownBy(() -> profile(Map.of("profile", "csv", "file", missing.toString())))
            .hasMessageStartingWith("workload argument file=" + missing + " cannot be read");
    }

    @Test
    void badArgumentsAreErrorsNamingTheKey()
    {
        assertThatThrownBy(() -> profile(Map.of())).hasMessage("workload argument profile is required");
        assertThatThrownBy(() -> profile(Map.of("profile", "saw"))).hasMessage("workload argument profile=saw is not ramp, step, sine or csv");
        assertThatThrownBy(() -> profile(Map.of("profile", "ramp", "over_s", "10"))).hasMessage("workload argument to_mib is required");
        assertThatThrownBy(() -> profile(Map.of("profile", "ramp", "to_mib", "10", "over_s", "0")))
            .hasMessage("workload argument over_s=0 is outside 0.001..10000000");
        assertThatThrownBy(() -> profile(Map.of("profile", "ramp", "to_mib", "-1", "over_s", "5")))
            .hasMessage("workload argument to_mib=-1 is outside 0..1048576");
        assertThatThrownBy(() -> profile(Map.of("profile", "ramp", "to_mib", "10", "over_s", "5", "levels_mib", "1")))
            .hasMessageStartingWith("workload argument levels_mib is unknown to hog profile=ramp");
        assertThatThrownBy(() -> profile(Map.of("profile", "step", "levels_mib", "1,2", "durations_s", "5")))
            .hasMessage("workload argument durations_s has 1 values but levels_mib has 2");
        assertThatThrownBy(() -> profile(Map.of("profile", "step", "levels_mib", "1,,2", "durations_s", "5,5,5")))
            .hasMessage("workload argument levels_mib= is not a number");
        assertThatThrownBy(() -> profile(Map.of("profile", "sine", "mean_mib", "50", "amplitude_mib", "60", "period_s", "10")))
            .hasMessageStartingWith("workload argument amplitude_mib=60 is above mean_mib=50");
        assertThatThrownBy(() -> profile(Map.of("profile", "csv", "file", "x.csv", "interpolate", "cubic")))
            .hasMessage("workload argument interpolate=cubic is not linear or step");
        assertThatThrownBy(() -> HogConfig.from(Map.of("profile", "ramp", "to_mib", "1", "over_s", "1", "tick_ms", "1")))
            .hasMessage("workload argument tick_ms=1 is outside 10..10000");
    }

    private Path write(final String text) throws IOException
    {
        return Files.writeString(dir.resolve("demand.csv"), text);
    }

    private static HogProfile profile(final Map<String, String> args)
    {
        return HogConfig.from(args).profile();
    }
}
