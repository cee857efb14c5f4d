package org.coopvm.cli.demo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code coop demo} runs: how long, how often it refreshes, where the domain configs are,
 * and the fixed scenario (host pool, policy, the three guests). Immutable; any thread.
 *
 * @param duration    how long the guests run.
 * @param interval    the table's refresh period.
 * @param domainsDir  the directory holding {@link #GUEST_CONFIGS}.
 */
public record DemoSettings(Duration duration, Duration interval, Path domainsDir)
{
    /**
     * The host's pool, MiB: the guests boot with 576 MiB (cache 256, hog 256, idle 64) and may
     * grow to 1088, so the pool is ample at first and short once mom has grown the cache and the
     * hog's demand peaks: that is when mom's pressure rules take memory back.
     */
    public static final int POOL_MIB = 896;
    /** The balloon policy. */
    public static final String POLICY = "mom";
    /** Its parameters: a decision every 2 s (MoM's is 10 s), so a minute shows some thirty rounds. */
    public static final List<String> POLICY_ARGS = List.of("period_ms=2000");
    /** The guests, created in this order. */
    public static final List<String> GUEST_CONFIGS = List.of("cache.cfg", "hog.cfg", "idle.cfg");
    /** The directory of the configs, relative to a checkout's root. */
    static final Path EXAMPLES_DOMAINS = Path.of("examples", "domains");

    /** Checks the references. */
    public DemoSettings
    {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(domainsDir, "domainsDir");
    }

    /** @return the policy and its parameters as {@code coop balloon-policy} shows them. */
    public String policyText()
    {
        return POLICY + (POLICY_ARGS.isEmpty() ? "" : " " + String.join(" ", POLICY_ARGS));
    }

    /**
     * @return {@code examples/domains} of the checkout this code runs from (found upwards from its
     *         jar or classes directory), else of the working directory.
     */
    public static Path defaultDomainsDir()
    {
        try
        {
            final Path code = Path.of(DemoSettings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code.toAbsolutePath(); dir != null; dir = dir.getParent())
            {
                if (Files.isRegularFile(dir.resolve(EXAMPLES_DOMAINS).resolve(GUEST_CONFIGS.getFirst())))
                {
                    return dir.resolve(EXAMPLES_DOMAINS);
                }
            }
        }
        catch (final URISyntaxException | SecurityException | NullPointerException ex)
        {
            // no usable code source: fall back to the working directory
        }
        return EXAMPLES_DOMAINS.toAbsolutePath();
    }
}
