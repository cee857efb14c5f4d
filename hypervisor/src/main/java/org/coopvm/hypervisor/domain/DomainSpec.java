package org.coopvm.hypervisor.domain;

import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.rings.channel.ChannelDescriptor;
import org.coopvm.rings.domain.StartInfoDescriptor;
import org.coopvm.rings.grant.GrantEntryDescriptor;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionHeaderDescriptor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the hypervisor needs to build a domain, validated once. The config layer (xl.cfg
 * parser) turns a {@code DomainConfig} into one of these.
 *
 * @param name                   domain name, not empty.
 * @param vcpus                  1..{@link StartInfoDescriptor#MAX_VCPUS}.
 * @param memoryKib              memory at boot, 4..maxmemKib.
 * @param maxmemKib              most memory; sizes the memory region (sparse), at most {@link #MAX_MAXMEM_KIB}.
 * @param minmemKib              the floor a balloon never goes below, 0..memoryKib (0: none given).
 * @param inProcess              anonymous regions (guest in the host's JVM) instead of files.
 * @param workloadName           the workload the guest kernel starts.
 * @param workloadArgs           its arguments, in order.
 * @param grantFrames            most grant table frames (512 entries each), 1..{@link #MAX_GRANT_FRAMES}.
 * @param hypercallCapacityBytes ring capacity of the hypercall channel (power of two).
 * @param responseCapacityBytes  ring capacity of each vCPU's response channel (power of two).
 * @param deflateOnPressure      whether the guest's balloon may take memory back under memory
 *                               pressure (xl.cfg {@code deflate_on_pressure}, Firecracker's
 *                               {@code deflate_on_oom}), offered in {@code memory/deflate-on-pressure}.
 * @param coopPolicy             the cooperation policy the guest kernel runs (xl.cfg {@code coop_policy}),
 *                               "" for none; given to the guest in {@code cooperation/policy}.
 * @param coopPolicyArgs         its parameters, key to value (xl.cfg {@code coop_policy_args}); given
 *                               to the guest in {@code cooperation/args/<key>}.
 * @param sched                  its CPU scheduling parameters (xl.cfg {@code cpu_weight}, {@code cap},
 *                               {@code sched_slice_ms}): the CPU scheduler starts it with them; the cap
 *                               is checked against {@code vcpus}.
 *
 * <p>Thread safety: immutable.
 */
public record DomainSpec(
    String name,
    int vcpus,
    long memoryKib,
    long maxmemKib,
    long minmemKib,
    boolean inProcess,
    String workloadName,
    Map<String, String> workloadArgs,
    int grantFrames,
    int hypercallCapacityBytes,
    int responseCapacityBytes,
    boolean deflateOnPressure,
    String coopPolicy,
    Map<String, String> coopPolicyArgs,
    SchedParams sched)
{
    /** Largest maxmem: a memory region must stay below 2 GiB. */
    public static final long MAX_MAXMEM_KIB = (Integer.MAX_VALUE - RegionHeaderDescriptor.PAYLOAD_OFFSET - 2L * Pages.PAGE_SIZE) / 1024 / 4 * 4;
    /** Most grant table frames. */
    public static final int MAX_GRANT_FRAMES = GrantEntryDescriptor.DEFAULT_MAX_FRAMES;
    /** Default hypercall channel capacity: 64 KiB. */
    public static final int DEFAULT_HYPERCALL_CAPACITY_BYTES = 64 * 1024;
    /** Default response channel capacity: 16 KiB. */
    public static final int DEFAULT_RESPONSE_CAPACITY_BYTES = 16 * 1024;

    private static final Pattern COOP_ARG_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** Validate the components. */
    public DomainSpec
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workloadName, "workloadName");
        workloadArgs = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(workloadArgs, "workloadArgs")));
        check(!name.isEmpty(), "domain name is empty");
        check(vcpus >= 1 && vcpus <= StartInfoDescriptor.MAX_VCPUS, "vcpus " + vcpus + " outside 1.." + StartInfoDescriptor.MAX_VCPUS);
        check(memoryKib >= 4 && memoryKib <= maxmemKib && maxmemKib <= MAX_MAXMEM_KIB,
            "memory " + memoryKib + " KiB / maxmem " + maxmemKib + " KiB: need 4 <= memory <= maxmem <= " + MAX_MAXMEM_KIB);
        check(minmemKib >= 0 && minmemKib <= memoryKib, "minmem " + minmemKib + " KiB outside 0..memory (" + memoryKib + " KiB)");
        check(grantFrames >= 1 && grantFrames <= MAX_GRANT_FRAMES, "grant frames " + grantFrames + " outside 1.." + MAX_GRANT_FRAMES);
        check(ChannelDescriptor.isValidCapacity(hypercallCapacityBytes), "hypercall capacity " + hypercallCapacityBytes + " invalid");
        check(ChannelDescriptor.isValidCapacity(responseCapacityBytes), "response capacity " + responseCapacityBytes + " invalid");
        Objects.requireNonNull(coopPolicy, "coopPolicy");
        coopPolicyArgs = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(coopPolicyArgs, "coopPolicyArgs")));
        check(!coopPolicy.isEmpty() || coopPolicyArgs.isEmpty(), "cooperation policy arguments " + coopPolicyArgs + " without a policy");
        check(coopPolicyArgs.keySet().stream().allMatch(key -> COOP_ARG_KEY.matcher(key).matches()),
            "cooperation policy argument keys " + coopPolicyArgs.keySet() + ": need a-z 0-9 _, starting with a letter");
        Objects.requireNonNull(sched, "sched").checkFor(vcpus);
    }

    /**
     * A spec with the default scheduling parameters.
     *
     * @param name                   domain name.
     * @param vcpus                  vCPUs.
     * @param memoryKib              memory at boot.
     * @param maxmemKib              most memory.
     * @param minmemKib              the balloon's floor (0: none).
     * @param inProcess              anonymous regions instead of files.
     * @param workloadName           the workload.
     * @param workloadArgs           its arguments.
     * @param grantFrames            grant table frames.
     * @param hypercallCapacityBytes hypercall channel capacity.
     * @param responseCapacityBytes  response channel capacity.
     * @param deflateOnPressure      whether the balloon may deflate under memory pressure.
     * @param coopPolicy             the guest's cooperation policy, "" for none.
     * @param coopPolicyArgs         its parameters.
     */
    public DomainSpec(final String name, final int vcpus, final long memoryKib, final long maxmemKib, final long minmemKib,
        final boolean inProcess, final String workloadName, final Map<String, String> workloadArgs, final int grantFrames,
        final int hypercallCapacityBytes, final int responseCapacityBytes, final boolean deflateOnPressure,
        final String coopPolicy, final Map<String, String> coopPolicyArgs)
    {
        this(name, vcpus, memoryKib, maxmemKib, minmemKib, inProcess, workloadName, workloadArgs, grantFrames,
            hypercallCapacityBytes, responseCapacityBytes, deflateOnPressure, coopPolicy, coopPolicyArgs, SchedParams.DEFAULTS);
    }

    /**
     * A spec without deflate under pressure.
     *
     * @param name                   domain name.
     * @param vcpus                  vCPUs.
     * @param memoryKib              memory at boot.
     * @param maxmemKib              most memory.
     * @param minmemKib              the balloon's floor (0: none).
     * @param inProcess              anonymous regions instead of files.
     * @param workloadName           the workload.
     * @param workloadArgs           its arguments.
     * @param grantFrames            grant table frames.
     * @param hypercallCapacityBytes hypercall channel capacity.
     * @param responseCapacityBytes  response channel capacity.
     */
    public DomainSpec(final String name, final int vcpus, final long memoryKib, final long maxmemKib, final long minmemKib,
        final boolean inProcess, final String workloadName, final Map<String, String> workloadArgs, final int grantFrames,
        final int hypercallCapacityBytes, final int responseCapacityBytes)
    {
        this(name, vcpus, memoryKib, maxmemKib, minmemKib, inProcess, workloadName, workloadArgs, grantFrames,
            hypercallCapacityBytes, responseCapacityBytes, false);
    }

    /**
     * A spec without a cooperation policy.
     *
     * @param name                   domain name.
     * @param vcpus                  vCPUs.
     * @param memoryKib              memory at boot.
     * @param maxmemKib              most memory.
     * @param minmemKib              the balloon's floor (0: none).
     * @param inProcess              anonymous regions instead of files.
     * @param workloadName           the workload.
     * @param workloadArgs           its arguments.
     * @param grantFrames            grant table frames.
     * @param hypercallCapacityBytes hypercall channel capacity.
     * @param responseCapacityBytes  response channel capacity.
     * @param deflateOnPressure      whether the balloon may deflate under memory pressure.
     */
    public DomainSpec(final String name, final int vcpus, final long memoryKib, final long maxmemKib, final long minmemKib,
        final boolean inProcess, final String workloadName, final Map<String, String> workloadArgs, final int grantFrames,
        final int hypercallCapacityBytes, final int responseCapacityBytes, final boolean deflateOnPressure)
    {
        this(name, vcpus, memoryKib, maxmemKib, minmemKib, inProcess, workloadName, workloadArgs, grantFrames,
            hypercallCapacityBytes, responseCapacityBytes, deflateOnPressure, "", Map.of());
    }

    /**
     * A spec with defaults: memory = maxmem, no minmem, no workload arguments, 64 grant frames, default
     * channel capacities.
     *
     * @param name      domain name.
     * @param vcpus     vCPUs.
     * @param memoryKib memory and maxmem in KiB.
     * @param inProcess anonymous regions instead of files.
     * @param workload  the workload name.
     * @return the spec.
     */
    public static DomainSpec of(final String name, final int vcpus, final long memoryKib, final boolean inProcess, final String workload)
    {
        return new DomainSpec(name, vcpus, memoryKib, memoryKib, 0, inProcess, workload, Map.of(), MAX_GRANT_FRAMES,
            DEFAULT_HYPERCALL_CAPACITY_BYTES, DEFAULT_RESPONSE_CAPACITY_BYTES);
    }

    /**
     * @param on see {@link #deflateOnPressure()}.
     * @return this spec with deflate under pressure on or off.
     */
    public DomainSpec withDeflateOnPressure(final boolean on)
    {
        return new DomainSpec(name, vcpus, memoryKib, maxmemKib, minmemKib, inProcess, workloadName, workloadArgs, grantFrames,
            hypercallCapacityBytes, responseCapacityBytes, on, coopPolicy, coopPolicyArgs, sched);
    }

    /**
     * @param policy the cooperation policy the guest runs, "" for none.
     * @param args   its parameters, key to value.
     * @return this spec with that policy.
     */
    public DomainSpec withCoopPolicy(final String policy, final Map<String, String> args)
    {
        return new DomainSpec(name, vcpus, memoryKib, maxmemKib, minmemKib, inProcess, workloadName, workloadArgs, grantFrames,
            hypercallCapacityBytes, responseCapacityBytes, deflateOnPressure, policy, args, sched);
    }

    /**
     * @param params the domain's CPU scheduling parameters.
     * @return this spec with them.
     * @throws IllegalArgumentException when the cap is above 100 per vCPU.
     */
    public DomainSpec withSched(final SchedParams params)
    {
        return new DomainSpec(name, vcpus, memoryKib, maxmemKib, minmemKib, inProcess, workloadName, workloadArgs, grantFrames,
            hypercallCapacityBytes, responseCapacityBytes, deflateOnPressure, coopPolicy, coopPolicyArgs, params);
    }

    /** @return frames in the memory region: maxmem in 4 KiB pages. */
    public int memoryPages()
    {
        return (int)((maxmemKib + 3) / 4);
    }

    /** @return pages of memory at boot. */
    public long bootPages()
    {
        return (memoryKib + 3) / 4;
    }

    /** @return the most grant table entries. */
    public int maxGrantEntries()
    {
        return grantFrames * GrantEntryDescriptor.ENTRIES_PER_FRAME;
    }

    private static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
