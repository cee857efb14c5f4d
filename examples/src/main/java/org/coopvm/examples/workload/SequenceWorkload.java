package org.coopvm.examples.workload;

import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sequence}: runs other workloads one after another in the same guest, as a boot script
 * runs programs (first {@code fio}, then {@code iperf}). {@code run=a,b,...} names them; every
 * other argument is {@code <workload>.<key>=<value>} and goes to that workload as
 * {@code <key>=<value>}. When a workload powers the guest off (its way of saying it is done) the
 * next one starts; the last one's poweroff, and any other shutdown (crash, reboot), go to the
 * host. A workload that never powers off (e.g. {@code disk-bench} with {@code seconds=0}) keeps
 * the rest from starting.
 *
 * <p>Thread safety: {@link #start} on vCPU 0 as the launcher calls it; the steps' shutdowns from
 * any thread (the next workload always starts on vCPU 0).
 */
public final class SequenceWorkload implements Workload
{
    /** The argument naming the workloads, in order. */
    static final String RUN = "run";

    @Override
    public String name()
    {
        return "sequence";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final List<Step> steps = steps(args);
        new Next(ctx, steps, 0).run();
    }

    /** A workload of the sequence and its own arguments. */
    record Step(Workload workload, Map<String, String> args)
    {
    }

    /**
     * @param args the sequence's arguments.
     * @return its steps, each found by {@link Workload#named}.
     * @throws IllegalArgumentException for a missing {@code run}, an unknown or repeated workload,
     *         or an argument that names no workload of the sequence.
     */
    static List<Step> steps(final Map<String, String> args)
    {
        final Map<String, Map<String, String>> byName = new LinkedHashMap<>();
        for (final String name : WorkloadArgs.required(args, RUN).split(",", -1))
        {
            final String trimmed = name.strip();
            if (trimmed.isEmpty() || trimmed.equals("sequence") || byName.put(trimmed, new LinkedHashMap<>()) != null)
            {
                throw new IllegalArgumentException("sequence: run=" + args.get(RUN) + " must name distinct workloads other than sequence");
            }
        }
        for (final Map.Entry<String, String> arg : args.entrySet())
        {
            if (!arg.getKey().equals(RUN))
            {
                argsOf(byName, arg.getKey()).put(arg.getKey().substring(arg.getKey().indexOf('.') + 1), arg.getValue());
            }
        }
        final List<Step> steps = new ArrayList<>();
        byName.forEach((name, own) -> steps.add(new Step(Workload.named(name).orElseThrow(() ->
            new IllegalArgumentException("sequence: unknown workload '" + name + "'")), Map.copyOf(own))));
        return steps;
    }

    private static Map<String, String> argsOf(final Map<String, Map<String, String>> byName, final String key)
    {
        final int dot = key.indexOf('.');
        final Map<String, String> own = dot > 0 ? byName.get(key.substring(0, dot)) : null;
        if (own == null)
        {
            throw new IllegalArgumentException("sequence: argument '" + key + "' is not <workload>.<key> for a workload in run=" +
                String.join(",", byName.keySet()));
        }
        return own;
    }

    /** Starts step {@code index} with a context whose poweroff starts the step after it. */
    private record Next(GuestContext ctx, List<Step> steps, int index) implements Runnable
    {
        @Override
        public void run()
        {
            final Step step = steps.get(index);
            final boolean last = index == steps.size() - 1;
            final GuestContext stepContext = new SequenceContext(ctx, reason ->
            {
                if (reason != ShutdownReason.POWEROFF || last)
                {
                    ctx.shutdown(reason);
                    return;
                }
                ctx.submit(task ->
                {
                    new Next(ctx, steps, index + 1).run();
                    return StepResult.DONE;
                });
            });
            ctx.console().log("sequence: " + (index + 1) + " of " + steps.size() + ": " + step.workload().name() + " " + step.args());
            try
            {
                step.workload().start(stepContext, step.args());
            }
            catch (final RuntimeException ex)
            {
                ctx.console().log("sequence: " + step.workload().name() + " failed to start: " + ex);
                ctx.shutdown(ShutdownReason.CRASH);
            }
        }
    }
}
