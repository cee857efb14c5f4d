package org.coopvm.hypervisor.config;

import org.coopvm.rings.netif.MacAddress;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a domain config's {@code vif = [...]}, in xl's syntax: comma-separated
 * {@code key=value} items, {@code mac=00:16:3e:01:02:03} (default: Xen's OUI + domid + handle),
 * {@code rate=RATE/s[@INTERVAL]} as xl's (RATE a number with {@code B}, {@code KB}, {@code MB},
 * {@code GB} for bytes or {@code b}, {@code Kb}, {@code Mb}, {@code Gb} for bits, decimal
 * multiples; INTERVAL with {@code s}, {@code ms} or {@code us}, default 50 ms) and CoopVM's
 * {@code rate_packets=N} (packets per second, Firecracker's second bucket). xl's {@code bridge},
 * {@code model}, {@code type}, {@code ip} and {@code script} are accepted and ignored (one switch
 * in dom0).
 *
 * @param handle                the vif's number (its position in the list).
 * @param mac                   the guest's address, empty for the generated one.
 * @param rateBytesPerInterval  byte credit per interval (libxl's {@code rate_bytes_per_interval}); 0 unlimited.
 * @param rateIntervalUs        the interval (libxl's {@code rate_interval_usecs}).
 * @param ratePacketsPerSecond  packets per second; 0 unlimited.
 *
 * <p>Thread safety: immutable.
 */
public record VifConfig(int handle, Optional<MacAddress> mac, long rateBytesPerInterval, long rateIntervalUs,
    long ratePacketsPerSecond)
{
    /** xl's default rate interval: 50 ms. */
    public static final long DEFAULT_INTERVAL_US = 50_000;

    private static final Pattern RATE = Pattern.compile("([0-9]+)([KMG]?)([Bb])/s(?:@([0-9]+)(s|ms|us))?");
    private static final java.util.Set<String> IGNORED = java.util.Set.of("bridge", "model", "type", "ip", "script", "vifname");

    /** Checks the numbers. */
    public VifConfig
    {
        if (handle < 0 || rateBytesPerInterval < 0 || rateIntervalUs <= 0 || ratePacketsPerSecond < 0)
        {
            throw new IllegalArgumentException("vif " + handle + ": negative rate or interval");
        }
    }

    /**
     * @param handle the vif's number.
     * @param spec   the list item, e.g. {@code mac=00:16:3e:00:00:01,rate=10Mb/s@20ms}.
     * @return the vif.
     * @throws IllegalArgumentException naming the item and what is wrong with it.
     */
    public static VifConfig parse(final int handle, final String spec)
    {
        final Map<String, String> items = new LinkedHashMap<>();
        for (final String item : spec.split(",", -1))
        {
            final String trimmed = item.strip();
            final int equals = trimmed.indexOf('=');
            if (trimmed.isEmpty() && spec.isBlank())
            {
                continue;
            }
            if (equals <= 0 || items.put(trimmed.substring(0, equals), trimmed.substring(equals + 1)) != null)
            {
                throw new IllegalArgumentException("vif '" + spec + "': item '" + trimmed + "' is not a single key=value");
            }
        }
        Optional<MacAddress> mac = Optional.empty();
        long bytes = 0;
        long intervalUs = DEFAULT_INTERVAL_US;
        long packets = 0;
        for (final Map.Entry<String, String> item : items.entrySet())
        {
            final String value = item.getValue();
            switch (item.getKey())
            {
                case "mac" -> mac = Optional.of(mac(spec, value));
                case "rate" ->
                {
                    final long[] rate = rate(spec, value);
                    bytes = rate[0];
                    intervalUs = rate[1];
                }
                case "rate_packets" -> packets = packets(spec, value);
                default ->
                {
                    if (!IGNORED.contains(item.getKey()))
                    {
                        throw new IllegalArgumentException("vif '" + spec + "': unknown key '" + item.getKey() +
                            "' (known: mac, rate, rate_packets)");
                    }
                }
            }
        }
        return new VifConfig(handle, mac, bytes, intervalUs, packets);
    }

    /**
     * @param domid the guest.
     * @return the configured MAC, or Xen's generated one.
     */
    public MacAddress macFor(final int domid)
    {
        return mac.orElseGet(() -> MacAddress.generated(domid, handle));
    }

    /** @return libxl's {@code rate} backend key ({@code bytes,microseconds}), empty when unlimited. */
    public Optional<String> rateKey()
    {
        return rateBytesPerInterval == 0 ? Optional.empty() : Optional.of(rateBytesPerInterval + "," + rateIntervalUs);
    }

    private static MacAddress mac(final String spec, final String value)
    {
        try
        {
            return MacAddress.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("vif '" + spec + "': " + ex.getMessage(), ex);
        }
    }

    /** @return {bytes per interval, interval in microseconds}, as libxl computes them. */
    private static long[] rate(final String spec, final String value)
    {
        final Matcher m = RATE.matcher(value);
        if (!m.matches() || m.group(1).length() > 12)
        {
            throw new IllegalArgumentException("vif '" + spec + "': rate '" + value +
                "' is not RATE/s[@INTERVAL], e.g. 10Mb/s or 100MB/s@20ms");
        }
        final long multiplier = switch (m.group(2))
        {
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> 1L;
        };
        final long bytesPerSecond = Long.parseLong(m.group(1)) * multiplier / ("b".equals(m.group(3)) ? 8 : 1);
        long intervalUs = DEFAULT_INTERVAL_US;
        if (m.group(4) != null)
        {
            final long interval = Long.parseLong(m.group(4));
            intervalUs = switch (m.group(5))
            {
                case "s" -> interval * 1_000_000L;
                case "ms" -> interval * 1_000L;
                default -> interval;
            };
        }
        if (bytesPerSecond <= 0 || intervalUs <= 0 || intervalUs > 10_000_000L)
        {
            throw new IllegalArgumentException("vif '" + spec + "': rate '" + value + "' must be positive with an interval of at most 10 s");
        }
        return new long[] {Math.max(1, bytesPerSecond * intervalUs / 1_000_000L), intervalUs};
    }

    private static long packets(final String spec, final String value)
    {
        if (!value.matches("[0-9]{1,12}") || Long.parseLong(value) == 0)
        {
            throw new IllegalArgumentException("vif '" + spec + "': rate_packets '" + value + "' is not a positive number of packets per second");
        }
        return Long.parseLong(value);
    }
}
