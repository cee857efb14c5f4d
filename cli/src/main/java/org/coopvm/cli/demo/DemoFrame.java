package org.coopvm.cli.demo;

import java.util.List;
import java.util.Objects;

/**
 * One refresh of the demo's live view: the host's figures and a row per guest. Immutable; any thread.
 *
 * @param elapsedMs     time since the guests were started.
 * @param durationMs    how long the demo runs.
 * @param policy        the balloon policy (name and parameters).
 * @param poolKib       the host's memory pool, KiB.
 * @param poolFreeKib   what no domain holds, KiB.
 * @param residentBytes memory the machine holds for all guests (their memory files), bytes.
 * @param rows          one per guest, in domid order.
 */
public record DemoFrame(long elapsedMs, long durationMs, String policy, long poolKib, long poolFreeKib, long residentBytes,
                        List<DemoRow> rows)
{
    /** Checks the references and copies the rows. */
    public DemoFrame
    {
        Objects.requireNonNull(policy, "policy");
        rows = List.copyOf(rows);
    }
}
