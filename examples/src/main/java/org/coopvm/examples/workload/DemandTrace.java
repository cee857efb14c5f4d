package org.coopvm.examples.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code hog} demand trace: one {@code seconds,MiB} row per line (decimals allowed),
 * times at least 0 and strictly increasing, demands in {@code 0..1048576} ({@link HogConfig#MAX_MIB}).
 * Blank lines and lines starting with {@code #} are skipped; the first other line may be the
 * header {@code seconds,MiB} (any case). Anything else is an error naming the source and line.
 *
 * <p>Thread safety: stateless.
 */
final class DemandTrace
{
    /** The optional header row. */
    static final String HEADER = "seconds,mib";

    private DemandTrace()
    {
    }

    /**
     * @param file   the CSV file.
     * @param linear interpolate between rows (else hold each row until the next).
     * @return the profile.
     * @throws IllegalArgumentException when the file cannot be read or a row is bad (naming the line).
     */
    static HogProfile.Trace read(final Path file, final boolean linear)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("workload argument file=" + file + " cannot be read: " + ex, ex);
        }
        return parse(lines, file.toString(), linear);
    }

    /**
     * @param lines  the rows.
     * @param source their origin, for messages.
     * @param linear interpolate between rows.
     * @return the profile.
     * @throws IllegalArgumentException naming the first bad line.
     */
    static HogProfile.Trace parse(final List<String> lines, final String source, final boolean linear)
    {
        final double[] seconds = new double[lines.size()];
        final double[] mib = new double[lines.size()];
        int rows = 0;
        boolean headerAllowed = true;
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final boolean header = headerAllowed && line.replace(" ", "").toLowerCase(Locale.ROOT).equals(HEADER);
            headerAllowed = false;
            if (!header)
            {
                final String where = source + " line " + (i + 1);
                parseRow(line, where, seconds, mib, rows);
                rows++;
            }
        }
        if (rows == 0)
        {
            throw new IllegalArgumentException(source + ": no seconds,MiB rows");
        }
        return new HogProfile.Trace(Arrays.copyOf(seconds, rows), Arrays.copyOf(mib, rows), linear, source);
    }

    private static void parseRow(final String line, final String where, final double[] seconds, final double[] mib, final int row)
    {
        final String[] fields = line.split(",", -1);
        if (fields.length != 2)
        {
            throw new IllegalArgumentException(where + ": expected seconds,MiB but found '" + line + "'");
        }
        final double at = number(fields[0], where, "seconds");
        final double demand = number(fields[1], where, "MiB");
        if (at < 0 || (row > 0 && at <= seconds[row - 1]))
        {
            throw new IllegalArgumentException(where + ": seconds " + fields[0].strip() + " must be at least 0 and after the previous row's " +
                (row > 0 ? WorkloadArgs.plain(seconds[row - 1]) : "start"));
        }
        if (demand < 0 || demand > HogConfig.MAX_MIB)
        {
            throw new IllegalArgumentException(where + ": MiB " + fields[1].strip() + " is outside 0.." + WorkloadArgs.plain(HogConfig.MAX_MIB));
        }
        seconds[row] = at;
        mib[row] = demand;
    }

    private static double number(final String field, final String where, final String what)
    {
        try
        {
            final double value = Double.parseDouble(field.strip());
            if (Double.isFinite(value))
            {
                return value;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // said below
        }
        throw new IllegalArgumentException(where + ": " + what + " '" + field.strip() + "' is not a number");
    }
}
