package org.coopvm.rings.domain;

import java.nio.file.Path;

/**
 * Names of the region files in a run directory: a domain's files live in {@code <run>/dom<N>/}
 * ({@code start-info}, {@code shared-info}, {@code hypercall}, {@code vcpu<K>.rsp},
 * {@code grant-table}, {@code memory}, {@code xenstore}, {@code balloon-stats}); the hypercall
 * dispatcher's doorbell is {@code <run>/host-doorbell} and the usage page every guest maps
 * read-only is {@code <run>/usage}.
 *
 * <p>Thread safety: immutable.
 */
public final class DomainFiles
{
    /** File name of the host-wide doorbell (a DOORBELL region with one doorbell at payload 0). */
    public static final String HOST_DOORBELL = "host-doorbell";
    /** File name of a domain's start info. */
    public static final String START_INFO = "start-info";
    /** File name of a domain's shared info. */
    public static final String SHARED_INFO = "shared-info";
    /** File name of a domain's hypercall channel (many-to-one, guest vCPUs to the host). */
    public static final String HYPERCALL = "hypercall";
    /** File name of a domain's grant table. */
    public static final String GRANT_TABLE = "grant-table";
    /** File name of a domain's xenstore ring page (a XENSTORE region). */
    public static final String XENSTORE = "xenstore";
    /** File name of a domain's memory. */
    public static final String MEMORY = "memory";
    /** File name of a domain's balloon statistics (a BALLOON_STATS region the guest writes). */
    public static final String BALLOON_STATS = "balloon-stats";
    /** File name of the host-wide usage page (a USAGE region, read-only for guests). */
    public static final String USAGE = "usage";

    private final Path runDir;

    /**
     * @param runDir the run directory.
     */
    public DomainFiles(final Path runDir)
    {
        this.runDir = runDir;
    }

    /** @return the run directory. */
    public Path runDir()
    {
        return runDir;
    }

    /** @return {@code <run>/host-doorbell}. */
    public Path hostDoorbell()
    {
        return runDir.resolve(HOST_DOORBELL);
    }

    /** @return {@code <run>/usage}, the host-wide usage page. */
    public Path usage()
    {
        return runDir.resolve(USAGE);
    }

    /** @param domid the domain. @return {@code <run>/dom<N>}. */
    public Path domainDir(final int domid)
    {
        return runDir.resolve("dom" + domid);
    }

    /** @param domid the domain. @return {@code <run>/dom<N>/start-info}. */
    public Path startInfo(final int domid)
    {
        return domainDir(domid).resolve(START_INFO);
    }

    /** @param domid the domain. @return {@code <run>/dom<N>/shared-info}. */
    public Path sharedInfo(final int domid)
    {
        return domainDir(domid).resolve(SHARED_INFO);
    }

    /** @param domid the domain. @return {@code <run>/dom<N>/hypercall}. */
    public Path hypercall(final int domid)
    {
        return domainDir(domid).resolve(HYPERCALL);
    }

    /**
     * @param domid the domain.
     * @param vcpu  the vCPU.
     * @return {@code <run>/dom<N>/vcpu<K>.rsp}, the vCPU's response channel (its doorbell is the vCPU's).
     */
    public Path vcpuResponse(final int domid, final int vcpu)
    {
        return domainDir(domid).resolve("vcpu" + vcpu + ".rsp");
    }

    /** @param domid the domain. @return {@code <run>/dom<N>/grant-table}. */
    public Path grantTable(final int domid)
    {
        return domainDir(domid).resolve(GRANT_TABLE);
    }

    /** @param domid the domain. @return {@code <run>/dom<N>/xenstore}. */
    public Path xenstore(final int domid)
    {
        return domainDir(domid).resolve(XENSTORE);
    }

    /** @param domid the domain. @return {@code <run>/dom<N>/memory}. */
    public Path memory(final int domid)
    {
        return domainDir(domid).resolve(MEMORY);
    }

    /** @param domid the domain. @return {@code <run>/dom<N>/balloon-stats}. */
    public Path balloonStats(final int domid)
    {
        return domainDir(domid).resolve(BALLOON_STATS);
    }
}
