package org.coopvm.examples.workload;

import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * {@code cache}: a key-value cache whose values live in guest pages, serving a synthetic,
 * seeded request stream (see {@link CacheConfig} for the arguments). A miss fetches (generates)
 * the value and inserts it, growing the cache while guest memory has room and evicting least
 * recently used entries when it has not, so the hit ratio follows the memory the guest has. The
 * cache is registered as reclaimable: when the kernel or the balloon needs memory it shrinks the
 * cache (see {@link CacheStore}).
 *
 * <p>Every second it publishes under {@code data/cache/} in xenstore: {@code hit-ratio} (the last
 * 10 s) and {@code hit-ratio-total} (since start), as decimals with 4 places, and the counts
 * {@code requests}, {@code hits}, {@code entries}, {@code bytes}, {@code evictions},
 * {@code reclaimed-bytes}, {@code bad-values}; every 10 s it says the same on the console.
 */
public final class CacheWorkload implements Workload
{
    @Override
    public String name()
    {
        return "cache";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        final CacheConfig config = CacheConfig.from(args);
        final CacheStore store = new CacheStore(ctx.memory(), config.valueBytes());
        ctx.memory().register(store);
        ctx.console().log("cache: " + config.describe());
        ctx.submit(new CacheTask(ctx, config, store));
    }
}
