package org.coopvm.perf.report;

import java.util.Locale;

/** Identifier spelling shared by the report enums. */
final class Names
{
    private Names()
    {
    }

    static String kebab(final String enumName)
    {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
