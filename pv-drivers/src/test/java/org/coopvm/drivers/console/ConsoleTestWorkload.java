package org.coopvm.drivers.console;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code console-test}: once the console ring is connected, writes {@code lines} numbered 100-byte
 * lines ({@code out 0000042 xxx...}) to the console, 50 per step, then {@code console-test: done}
 * (so all of it goes through the ring); every line typed on the console
 * is kept in {@link #INPUT} and answered with {@code input: <line>}.
 */
public final class ConsoleTestWorkload implements Workload
{
    /** Bytes of one output line, newline included. */
    static final int LINE_BYTES = 100;
    /** Input received, per domid. */
    static final Map<Integer, StringBuffer> INPUT = new ConcurrentHashMap<>();
    /** Output lines the console accepted, per domid. */
    static final Map<Integer, AtomicLong> WRITTEN = new ConcurrentHashMap<>();

    @Override
    public String name()
    {
        return "console-test";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final long lines = Long.parseLong(args.getOrDefault("lines", "0"));
        final StringBuilder partial = new StringBuilder();
        ctx.console().onInput((bytes, offset, length) ->
        {
            final String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
            INPUT.computeIfAbsent(ctx.domid(), d -> new StringBuffer()).append(text);
            partial.append(text);
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0)
            {
                ctx.console().log("input: " + partial.substring(0, newline));
                partial.delete(0, newline + 1);
            }
        });
        final long[] next = {0};
        final AtomicLong written = WRITTEN.computeIfAbsent(ctx.domid(), d -> new AtomicLong());
        ctx.submit(task ->
        {
            if (!ctx.console().isRingConnected())
            {
                return StepResult.CONTINUE;
            }
            for (int i = 0; i < 50 && next[0] < lines; i++)
            {
                ctx.console().log(line(next[0]++));
                written.incrementAndGet();
            }
            if (next[0] < lines)
            {
                return StepResult.CONTINUE;
            }
            ctx.console().log("console-test: done");
            return StepResult.DONE;
        });
    }

    /**
     * @param n the line number.
     * @return line n without its newline (99 bytes).
     */
    static String line(final long n)
    {
        final String head = String.format("out %07d ", n);
        return head + "x".repeat(LINE_BYTES - 1 - head.length());
    }
}
