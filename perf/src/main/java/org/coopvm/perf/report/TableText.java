package org.coopvm.perf.report;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The plain-text pieces the {@code coop bench} tables share: the header line, section titles,
 * formatted lines, and the closing failures and setup notes. Stateless; any thread.
 */
public final class TableText
{
    private static final String NEWLINE = System.lineSeparator();

    private TableText()
    {
    }

    /**
     * Appends {@code "<title> (<mode> run, <n> CPUs, <os>, <jvm>), started <when>, took <n>s"}.
     *
     * @param out   where to append.
     * @param title e.g. {@code "CoopVM xenstore benchmarks"}.
     * @param run   the run.
     */
    public static void header(final StringBuilder out, final String title, final RunInfo run)
    {
        line(out, "%s (%s run, %d CPUs, %s, %s), started %s, took %ds", title,
            run.mode(), run.availableProcessors(), run.os(), run.jvm(), run.startedAt(), run.elapsed().toSeconds());
    }

    /**
     * Appends the failed measurements, if any, then the setup notes.
     *
     * @param out where to append.
     * @param run the run.
     */
    public static void failuresAndSetup(final StringBuilder out, final RunInfo run)
    {
        if (!run.failures().isEmpty())
        {
            section(out, "Failed measurements (their figures are missing)");
            run.failures().forEach(failure -> line(out, "  %s", failure));
        }
        section(out, "Setup");
        run.notes().forEach(note -> line(out, "  - %s", note));
    }

    /**
     * Appends a section of goals, one line each: met, NOT MET or not measured, the goal, and (when
     * measured) our figure as {@code value} renders it.
     *
     * @param out     where to append.
     * @param title   the section title, e.g. {@code "Goals (issue 5)"}.
     * @param results the goals judged.
     * @param value   renders a measured goal's figure (and limit, if wanted).
     */
    public static void goals(final StringBuilder out, final String title, final List<GoalResult> results,
        final Function<GoalResult, String> value)
    {
        section(out, title);
        final int nameWidth = results.stream().mapToInt(result -> result.goal().name().length()).max().orElse(1);
        for (final GoalResult result : results)
        {
            final String status = switch (result.status())
            {
                case MET -> "met";
                case MISSED -> "NOT MET";
                case NOT_MEASURED -> "not measured";
            };
            line(out, "  %-13s %-" + nameWidth + "s   %s", status, result.goal().name(),
                result.status() == GoalResult.Status.NOT_MEASURED ? "" : value.apply(result));
        }
    }

    /**
     * Appends an empty line, then the title.
     *
     * @param out   where to append.
     * @param title the section title.
     */
    public static void section(final StringBuilder out, final String title)
    {
        out.append(NEWLINE);
        line(out, "%s", title);
    }

    /**
     * @param result a judged goal.
     * @return how goal tables print its status: {@code met}, {@code NOT MET} or {@code not measured}.
     */
    public static String status(final GoalResult result)
    {
        return switch (result.status())
        {
            case MET -> "met";
            case MISSED -> "NOT MET";
            case NOT_MEASURED -> "not measured";
        };
    }

    /**
     * Appends one formatted line (root locale), trailing blanks stripped, then the line separator.
     *
     * @param out    where to append.
     * @param format the format.
     * @param args   its arguments.
     */
    public static void line(final StringBuilder out, final String format, final Object... args)
    {
        out.append(String.format(Locale.ROOT, format, args).stripTrailing()).append(NEWLINE);
    }
}
