package org.coopvm.hypervisor.api;

import java.util.Locale;

/**
 * How one change of a domain's {@code memory/target} ended: in xenstore (as
 * {@link #xenstoreValue()} in {@code /local/domain/<id>/memory/balloon-report}), the API, the
 * trace ({@code BALLOON_REPORT} records) and {@code coop list}.
 *
 * @param seq          the host's report number, from 1, increasing.
 * @param domid        the domain.
 * @param name         its name.
 * @param outcome      how the change ended.
 * @param requested    the value written to {@code memory/target}, as text (at most 64 characters).
 * @param requestedKib that value as KiB, or -1 when it was not a KiB count.
 * @param effectiveKib what the domain was held to: the request clamped to its floor and max pages,
 *                     rounded down to a page (-1 for an invalid target).
 * @param startKib     the domain's populated memory when the change was seen.
 * @param currentKib   its populated memory when the report was made.
 * @param elapsedMs    from the change to the populated memory reaching the target (reached
 *                     outcomes) or to the report (the others).
 * @param atMs         when the report was made, epoch ms.
 * @param detail       why, for a human: the clamp, the pool's numbers, the guest's floor...
 *
 * <p>Thread safety: immutable.
 */
public record ConvergenceReport(
    long seq,
    int domid,
    String name,
    ConvergenceOutcome outcome,
    String requested,
    long requestedKib,
    long effectiveKib,
    long startKib,
    long currentKib,
    long elapsedMs,
    long atMs,
    String detail)
{
    /**
     * @return the one-line value of the domain's {@code memory/balloon-report} node:
     * {@code seq=N outcome=NAME requested_kib=K effective_kib=K start_kib=K current_kib=K elapsed_ms=MS detail="..."},
     * plus {@code requested="..."} for an invalid target.
     */
    public String xenstoreValue()
    {
        final StringBuilder line = new StringBuilder(160)
            .append("seq=").append(seq)
            .append(" outcome=").append(outcome.wireName())
            .append(" requested_kib=").append(requestedKib)
            .append(" effective_kib=").append(effectiveKib)
            .append(" start_kib=").append(startKib)
            .append(" current_kib=").append(currentKib)
            .append(" elapsed_ms=").append(elapsedMs);
        if (requestedKib < 0)
        {
            line.append(" requested=").append(quoted(requested));
        }
        return line.append(" detail=").append(quoted(detail)).toString();
    }

    /** @return the short form {@code coop list} shows: the outcome's label, with the time for reached outcomes. */
    public String summary()
    {
        return outcome.isReached() ? outcome.label() + ":" + String.format(Locale.ROOT, "%.1fs", elapsedMs / 1000.0) : outcome.label();
    }

    private static String quoted(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20 || c == 0x7f)
            {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
