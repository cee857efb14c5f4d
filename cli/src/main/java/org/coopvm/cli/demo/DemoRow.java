package org.coopvm.cli.demo;

import java.util.Objects;

/**
 * One guest's line in the demo's live table: what {@code xentop} would show for its memory, plus
 * what its workload and the balloon policy say. Immutable; any thread.
 *
 * @param name         the domain's name.
 * @param domid        its id.
 * @param currentKib   memory it holds now (populated pages), KiB.
 * @param targetKib    its balloon target ({@code memory/target}), KiB; 0 when unknown.
 * @param freeKib      free memory it reports in its balloon stats (via the usage page), KiB; -1 when it reports none.
 * @param hitRatio     its cache's recent hit ratio (0..1, {@code data/cache/hit-ratio}); {@code NaN} when it has no cache.
 * @param lastChange   how its latest target change went, as {@code coop list} shows it ({@code tracking},
 *                     {@code reached:0.4s}, {@code pool-short}, ...), or empty before the first.
 * @param lastDecision the balloon policy's last decision for it (reason and why), or empty before the first.
 */
public record DemoRow(String name, int domid, long currentKib, long targetKib, long freeKib, double hitRatio, String lastChange,
                     String lastDecision)
{
    /** Checks the references. */
    public DemoRow
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastChange, "lastChange");
        Objects.requireNonNull(lastDecision, "lastDecision");
    }
}
