package org.coopvm.guest;

import org.coopvm.guest.grant.FileForeignMemory;
import org.coopvm.guest.grant.ForeignMemory;
import org.coopvm.guest.grant.RegionForeignMemory;
import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.domain.InProcessRegions;
import org.coopvm.rings.domain.StartInfo;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The mapped regions a guest kernel boots from: start info, shared info, the hypercall channel,
 * one response channel per vCPU, the grant table, the memory, the host doorbell, the xenstore
 * ring page, the host's usage page (read-only) and the domain's balloon stats region, and how to
 * reach other domains' granted pages.
 *
 * <p>A process guest {@link #attach attaches} the files of {@code <run>/dom<N>/} itself and owns
 * the mappings (the kernel unmaps them when it stops). An in-process guest gets the host's
 * anonymous regions ({@link #inProcess}); the host owns them, the kernel only closes the channel
 * ends it opened and, once its vCPUs have ended, runs the release the host gave it (the host keeps
 * the regions mapped until then, even when it destroys the domain under the kernel).
 *
 * <p>Thread safety: immutable (the list of channels is copied; the regions themselves are shared memory).
 *
 * @param startInfo     START_INFO region.
 * @param sharedInfo    SHARED_INFO region.
 * @param hypercall     the MANY_TO_ONE hypercall channel (guest vCPUs produce).
 * @param vcpuResponses {@code vcpu<K>.rsp} channels, index K (guest consumes).
 * @param grantTable    GRANT_TABLE region.
 * @param memory        GUEST_MEMORY region.
 * @param hostDoorbell  DOORBELL region, the host dispatcher's doorbell at payload 0.
 * @param xenstore      XENSTORE region, the xenstore ring page ({@code null} when the host made none).
 * @param usage         USAGE region, the host's usage page, read only ({@code null} when the host has none).
 * @param balloonStats  BALLOON_STATS region the kernel publishes its memory stats in ({@code null} when none).
 * @param foreignMemory how granted pages of other domains are mapped.
 * @param runDir        the run directory, when known.
 * @param ownedByKernel whether the kernel closes the regions and channels when it stops.
 * @param release       run once when the kernel no longer touches the regions (after closing them when owned).
 */
public record BootRegions(
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
    ForeignMemory foreignMemory,
    Optional<Path> runDir,
    boolean ownedByKernel,
    Runnable release)
{
    /** Copies the list. */
    public BootRegions
    {
        vcpuResponses = List.copyOf(vcpuResponses);
        Objects.requireNonNull(release, "release");
    }

    /**
     * Regions the host already mapped for an in-process guest (the host keeps ownership; the
     * kernel runs {@link InProcessRegions#release()} once its vCPUs have ended).
     *
     * @param host   what the host hands the kernel ({@code Hypervisor.inProcessRegions}).
     * @param runDir the host's run directory, or {@code null}.
     * @return the regions.
     */
    public static BootRegions inProcess(final InProcessRegions host, final Path runDir)
    {
        return new BootRegions(host.startInfo(), host.sharedInfo(), host.hypercall(), host.vcpuResponses(), host.grantTable(),
            host.memory(), host.hostDoorbell(), host.xenstore(), host.usage(), host.balloonStats(), new RegionForeignMemory(host.memoryOf()),
            Optional.ofNullable(runDir), false, host.release());
    }

    /**
     * The same regions with the host's usage page and the domain's balloon stats region (an
     * in-process host passes its own; the kernel reads the usage page through a read-only view).
     *
     * @param usagePage    the host's USAGE region, or {@code null}.
     * @param statsRegion  the domain's BALLOON_STATS region, or {@code null}.
     * @return a copy with them.
     */
    public BootRegions withUsage(final SharedRegion usagePage, final SharedRegion statsRegion)
    {
        return new BootRegions(startInfo, sharedInfo, hypercall, vcpuResponses, grantTable, memory, hostDoorbell, xenstore, usagePage,
            statsRegion, foreignMemory, runDir, ownedByKernel, release);
    }

    /**
     * Attach the files of domain {@code domid} in {@code runDir} (process guests). The start info
     * is mapped and validated first; its vCPU count says which response channels to attach. The
     * xenstore ring page, the balloon stats region and (read-only) {@code <run>/usage} are
     * attached when the host made them.
     *
     * @param runDir the run directory.
     * @param domid  the domain.
     * @return the regions, owned by the kernel.
     * @throws IllegalStateException when the start info is invalid or names another domain.
     * @throws org.coopvm.rings.region.RegionException when a file is missing or malformed.
     */
    public static BootRegions attach(final Path runDir, final int domid)
    {
        final DomainFiles files = new DomainFiles(runDir);
        final List<AutoCloseable> opened = new ArrayList<>();
        try
        {
            final SharedRegion startInfo = track(opened, SharedRegion.attachFile(files.startInfo(domid), RegionType.START_INFO));
            final int vcpus = validatedVcpus(startInfo, domid);
            final SharedRegion sharedInfo = track(opened, SharedRegion.attachFile(files.sharedInfo(domid), RegionType.SHARED_INFO));
            final SharedRegion grantTable = track(opened, SharedRegion.attachFile(files.grantTable(domid), RegionType.GRANT_TABLE));
            final SharedRegion memory = track(opened, SharedRegion.attachFile(files.memory(domid), RegionType.GUEST_MEMORY));
            final MessageChannel hypercall = track(opened, MessageChannel.attachFile(files.hypercall(domid)));
            final List<MessageChannel> responses = new ArrayList<>();
            for (int k = 0; k < vcpus; k++)
            {
                responses.add(track(opened, MessageChannel.attachFile(files.vcpuResponse(domid, k))));
            }
            final SharedRegion hostDoorbell = track(opened, SharedRegion.attachFile(files.hostDoorbell(), RegionType.DOORBELL));
            final SharedRegion xenstore = Files.exists(files.xenstore(domid)) ?
                track(opened, SharedRegion.attachFile(files.xenstore(domid), RegionType.XENSTORE)) : null;
            final SharedRegion usage = Files.exists(files.usage()) ?
                track(opened, SharedRegion.attachFileReadOnly(files.usage(), RegionType.USAGE)) : null;
            final SharedRegion balloonStats = Files.exists(files.balloonStats(domid)) ?
                track(opened, SharedRegion.attachFile(files.balloonStats(domid), RegionType.BALLOON_STATS)) : null;
            return new BootRegions(startInfo, sharedInfo, hypercall, responses, grantTable, memory, hostDoorbell, xenstore, usage,
                balloonStats, new FileForeignMemory(files), Optional.of(runDir), true, () -> { });
        }
        catch (final RuntimeException ex)
        {
            closeAll(opened);
            throw ex;
        }
    }

    /** The kernel is done with the regions: close every region and channel when {@link #ownedByKernel()}, then run {@link #release()}. */
    void releaseAll()
    {
        if (ownedByKernel)
        {
            closeOwned();
        }
        release.run();
    }

    private void closeOwned()
    {
        final List<AutoCloseable> all = new ArrayList<>(List.of(startInfo, sharedInfo, hypercall, grantTable, memory, hostDoorbell));
        for (final SharedRegion optional : new SharedRegion[] {xenstore, usage, balloonStats})
        {
            if (optional != null)
            {
                all.add(optional);
            }
        }
        all.addAll(vcpuResponses);
        closeAll(all);
    }

    private static int validatedVcpus(final SharedRegion startInfo, final int domid)
    {
        final StartInfo info = new StartInfo().wrap(startInfo.payloadBuffer());
        final Optional<String> problem = info.problem();
        if (problem.isPresent())
        {
            throw new IllegalStateException("start info of domain " + domid + " is invalid: " + problem.get());
        }
        if (info.domid() != domid)
        {
            throw new IllegalStateException("start info names domain " + info.domid() + ", expected " + domid);
        }
        return info.nrVcpus();
    }

    private static <T extends AutoCloseable> T track(final List<AutoCloseable> opened, final T resource)
    {
        opened.add(resource);
        return resource;
    }

    private static void closeAll(final List<AutoCloseable> resources)
    {
        for (final AutoCloseable resource : resources)
        {
            try
            {
                resource.close();
            }
            catch (final Exception ignored)
            {
                // best effort: the process exits next
            }
        }
    }
}
