package org.coopvm.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.coopvm.cli.Coop;
import org.coopvm.hypervisor.trace.TraceLevel;
import org.coopvm.hypervisor.trace.Tracer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TraceCommandTest
{
    private static final long T0 = 1_796_392_862_000_000_000L; // 2026-12-04T14:01:02Z

    @TempDir
    Path runDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeTrace()
    {
        final long[] now = {T0};
        try (Tracer tracer = Tracer.openInRunDir(runDir.resolve("run"), TraceLevel.HYPERCALLS, () -> now[0] += 1_000_000_000L))
        {
            tracer.hostStarted();
            tracer.domainCreated(3);
            tracer.hypercall(3, 0, "event_channel_op", "send", 0, 5_300);
            tracer.guestFault(4, "hypercall op 99 unknown", 2);
            tracer.domainShutdown(3, "poweroff");
        }
    }

    @Test
    void dumpsEveryRecordAsOneTextLine()
    {
        assertThat(run("trace", "dump", "--run-dir", runDir.resolve("run").toString())).isZero();
        assertThat(lines()).containsExactly(
            "2026-12-04T14:01:03.000000000Z seq=1 dom=0 LIFECYCLE event=host_started",
            "2026-12-04T14:01:04.000000000Z seq=2 dom=3 LIFECYCLE event=domain_created",
            "2026-12-04T14:01:05.000000000Z seq=3 dom=3 HYPERCALL vcpu=0 op=event_channel_op cmd=send result=0 latency_ns=5300",
            "2026-12-04T14:01:06.000000000Z seq=4 dom=4 FAULT what=\"hypercall op 99 unknown\" count=2",
            "2026-12-04T14:01:07.000000000Z seq=5 dom=3 LIFECYCLE event=domain_shutdown reason=poweroff");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void filtersByDomainTypeAndTime()
    {
        final String queue = runDir.resolve("run/trace").toString();
        assertThat(run("trace", "dump", "--queue", queue, "--domain", "3", "--type", "lifecycle")).isZero();
        assertThat(lines()).extracting(line -> line.split(" ")[1]).containsExactly("seq=2", "seq=5");

        out.getBuffer().setLength(0);
        assertThat(run("trace", "dump", "--queue", queue, "--since", "2026-12-04T14:01:04Z", "--until", "2026-12-04T14:01:06Z")).isZero();
        assertThat(lines()).extracting(line -> line.split(" ")[1]).containsExactly("seq=2", "seq=3");
    }

    @Test
    void jsonPrintsOneObjectPerLine()
    {
        assertThat(run("trace", "dump", "--run-dir", runDir.resolve("run").toString(), "--type", "hypercall", "--json")).isZero();
        assertThat(lines()).containsExactly(
            "{\"time\":\"2026-12-04T14:01:05.000000000Z\",\"ts_ns\":1796392865000000000,\"seq\":3,\"dom\":3,\"type\":\"hypercall\"," +
            "\"vcpu\":0,\"op\":\"event_channel_op\",\"cmd\":\"send\",\"result\":0,\"latency_ns\":5300}");
    }

    @Test
    void saysSoWhenNothingMatches()
    {
        assertThat(run("trace", "dump", "--run-dir", runDir.resolve("run").toString(), "--domain", "9")).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("no record in").contains("matches");
    }

    @Test
    void missingTraceIsAClearErrorNotAStackTrace()
    {
        assertThat(run("trace", "dump", "--run-dir", runDir.resolve("elsewhere").toString())).isEqualTo(TraceCommand.EXIT_NO_TRACE);
        assertThat(err.toString()).startsWith("coop trace dump: no trace at " + runDir.resolve("elsewhere/trace"))
            .contains("does not exist").doesNotContain("Exception");
    }

    @Test
    void badOptionsAreUsageErrors()
    {
        final String dir = runDir.resolve("run").toString();
        assertThat(run("trace", "dump", "--run-dir", dir, "--queue", dir)).isEqualTo(2);
        assertThat(err.toString()).contains("not both");
        assertThat(run("trace", "dump", "--run-dir", dir, "--type", "events")).isEqualTo(2);
        assertThat(err.toString()).contains("expected lifecycle, hypercall, fault, memory, balloon-decision, balloon-report or sched");
        assertThat(run("trace", "dump", "--run-dir", dir, "--since", "yesterday")).isEqualTo(2);
    }

    private int run(final String... args)
    {
        final CommandLine coop = Coop.commandLine();
        coop.setOut(new PrintWriter(out, true));
        coop.setErr(new PrintWriter(err, true));
        return coop.execute(args);
    }

    private List<String> lines()
    {
        return out.toString().lines().toList();
    }
}
