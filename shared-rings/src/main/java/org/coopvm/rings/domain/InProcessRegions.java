package org.coopvm.rings.domain;

import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.region.SharedRegion;

import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * What a host hands an in-process guest kernel of one domain: the host's own mappings of the
 * domain's regions (no files are attached), how to reach other domains' memory for grant maps,
 * and the release the kernel runs once its vCPUs have ended. Until then the host keeps the regions
 * mapped, even when it destroys the domain under the kernel: unmapping pages a kernel thread still
 * touches would crash the JVM or, with the address reused, corrupt another domain.
 *
 * <p>Thread safety: immutable; {@link #release} is idempotent and callable from any thread.
 *
 * @param startInfo     START_INFO region.
 * @param sharedInfo    SHARED_INFO region.
 * @param hypercall     the hypercall channel.
 * @param vcpuResponses response channels by vCPU.
 * @param grantTable    GRANT_TABLE region.
 * @param memory        GUEST_MEMORY region.
 * @param hostDoorbell  the host doorbell region.
 * @param xenstore      the xenstore ring page region, or {@code null}.
 * @param usage         the host's usage page, or {@code null}.
 * @param balloonStats  the domain's balloon stats region, or {@code null}.
 * @param memoryOf      another domain's memory region by domid ({@code null} when none).
 * @param release       tells the host the kernel no longer touches the regions.
 */
public record InProcessRegions(
    SharedRegion startInfo,
    SharedRegion sharedInfo,
    MessageChannel hypercall,
    List<MessageChannel> vcpuResponses,
    SharedRegion grantTable,
    SharedRegion memory,
    SharedRegion hostDoorbell,
    SharedRegion xenstore,
    SharedRegion usage,
    SharedRegion balloonStats,
    IntFunction<SharedRegion> memoryOf,
    Runnable release)
{
    /** Copies the list; the release and the lookup are required. */
    public InProcessRegions
    {
        vcpuResponses = List.copyOf(vcpuResponses);
        Objects.requireNonNull(memoryOf, "memoryOf");
        Objects.requireNonNull(release, "release");
    }
}
