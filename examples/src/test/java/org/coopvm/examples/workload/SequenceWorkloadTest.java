package org.coopvm.examples.workload;

import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.workload.Console;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code sequence} runs its workloads in order, each with its own arguments: a workload's poweroff
 * starts the next, the last one's (and any crash) reaches the host, and bad arguments are refused
 * naming what is wrong.
 */
class SequenceWorkloadTest
{
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final List<ShutdownReason> shutdowns = new CopyOnWriteArrayList<>();

    @Test
    void eachWorkloadGetsItsOwnArgumentsAndStartsWhenThePreviousOnePowersOff()
    {
        new SequenceWorkload().start(context(), Map.of("run", "test-first, test-second", "test-first.say", "one",
            "test-second.say", "two"));

        assertThat(console).filteredOn(line -> line.startsWith("test-")).containsExactly("test-first {say=one}", "test-second {say=two}");
        assertThat(shutdowns).as("only the last poweroff reaches the host").containsExactly(ShutdownReason.POWEROFF);
    }

    @Test
    void aCrashStopsTheSequenceAndReachesTheHost()
    {
        new SequenceWorkload().start(context(), Map.of("run", "test-first,test-second", "test-first.crash", "yes"));

        assertThat(console).filteredOn(line -> line.startsWith("test-")).containsExactly("test-first {crash=yes}");
        assertThat(shutdowns).containsExactly(ShutdownReason.CRASH);
    }

    @Test
    void badArgumentsAreRefusedNamingTheProblem()
    {
        assertThatThrownBy(() -> SequenceWorkload.steps(Map.of())).hasMessageContaining("run");
        assertThatThrownBy(() -> SequenceWorkload.steps(Map.of("run", "test-first,nonesuch"))).hasMessageContaining("'nonesuch'");
        assertThatThrownBy(() -> SequenceWorkload.steps(Map.of("run", "test-first,test-first"))).hasMessageContaining("distinct");
        assertThatThrownBy(() -> SequenceWorkload.steps(Map.of("run", "sequence"))).hasMessageContaining("other than sequence");
        assertThatThrownBy(() -> SequenceWorkload.steps(Map.of("run", "test-first", "say", "x"))).hasMessageContaining("'say'");
        assertThatThrownBy(() -> SequenceWorkload.steps(Map.of("run", "test-first", "test-second.say", "x")))
            .hasMessageContaining("'test-second.say'").hasMessageContaining("run=test-first");
    }

    @Test
    void theExampleIoGuestsRunDiskBenchThenNetStream()
    {
        assertThat(SequenceWorkload.steps(Map.of("run", "disk-bench,net-stream", "disk-bench.seconds", "5", "net-stream.role", "send")))
            .extracting(step -> step.workload().name(), SequenceWorkload.Step::args)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("disk-bench", Map.of("seconds", "5")),
                org.assertj.core.groups.Tuple.tuple("net-stream", Map.of("role", "send")));
    }

    /** A context that runs submitted tasks at once and records the console and shutdowns. */
    private GuestContext context()
    {
        final Console lines = line ->
        {
            console.add(line);
            return line.length();
        };
        final InvocationHandler handler = (proxy, method, args) ->
        {
            switch (method.getName())
            {
                case "console" -> { return lines; }
                case "shutdown" -> shutdowns.add((ShutdownReason)args[0]);
                case "submit" -> ((Task)args[args.length - 1]).step(null);
                default -> throw new UnsupportedOperationException(method.getName());
            }
            return null;
        };
        return (GuestContext)Proxy.newProxyInstance(GuestContext.class.getClassLoader(), new Class<?>[] {GuestContext.class}, handler);
    }

    /** Says its arguments, then powers off (or crashes with {@code crash=yes}). */
    private abstract static class Step implements Workload
    {
        @Override
        public void start(final GuestContext ctx, final Map<String, String> args)
        {
            ctx.console().log(name() + " " + args);
            ctx.shutdown("yes".equals(args.get("crash")) ? ShutdownReason.CRASH : ShutdownReason.POWEROFF);
            ctx.shutdown(ShutdownReason.POWEROFF); // a second poweroff of the same workload changes nothing
        }
    }

    /** The first test step. */
    public static final class First extends Step
    {
        @Override
        public String name()
        {
            return "test-first";
        }
    }

    /** The second test step. */
    public static final class Second extends Step
    {
        @Override
        public String name()
        {
            return "test-second";
        }
    }
}
