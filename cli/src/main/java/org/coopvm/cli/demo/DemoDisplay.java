package org.coopvm.cli.demo;

import java.io.PrintWriter;
import java.util.List;

/**
 * Where the demo's live view goes: a terminal, where each frame redraws the screen, or anything
 * else (a file, a pipe, a test), where each frame adds plain lines. Messages and the summary are
 * plain lines in both. Confined to the demo's thread.
 */
final class DemoDisplay
{
    private static final int DEFAULT_COLUMNS = 120;

    private final PrintWriter out;
    private final boolean terminal;
    private final int columns;

    DemoDisplay(final PrintWriter out, final boolean terminal, final int columns)
    {
        this.out = out;
        this.terminal = terminal;
        this.columns = columns;
    }

    /**
     * @param out standard output.
     * @return a terminal display when standard output is a terminal ({@code $COLUMNS} wide, else
     *         {@value #DEFAULT_COLUMNS}), else a plain one.
     */
    static DemoDisplay forConsole(final PrintWriter out)
    {
        final java.io.Console console = System.console();
        return new DemoDisplay(out, console != null && console.isTerminal(), columns(System.getenv("COLUMNS")));
    }

    /** @param frame the figures to show now. */
    void show(final DemoFrame frame)
    {
        if (terminal)
        {
            out.print(DemoTable.CLEAR_SCREEN);
            DemoTable.screen(frame, columns).forEach(out::println);
        }
        else
        {
            DemoTable.plain(frame).forEach(out::println);
        }
        out.flush();
    }

    /** @param lines plain lines (messages, the summary). */
    void say(final List<String> lines)
    {
        lines.forEach(out::println);
        out.flush();
    }

    /** @param line a plain line. */
    void say(final String line)
    {
        say(List.of(line));
    }

    static int columns(final String text)
    {
        try
        {
            return text == null ? DEFAULT_COLUMNS : Integer.parseInt(text.strip());
        }
        catch (final NumberFormatException ex)
        {
            return DEFAULT_COLUMNS;
        }
    }
}
