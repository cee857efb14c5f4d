package org.coopvm.hypervisor.config;

import org.coopvm.hypervisor.sched.SchedParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A domain as described by an xl.cfg-style file, validated. Keys: {@code name} (required),
 * {@code memory} (MiB, required), {@code maxmem} (MiB, default memory), {@code minmem} (MiB,
 * default 0: no floor; at most memory), {@code deflate_on_pressure} (0 or 1, default 0: the
 * guest's balloon may take memory back under memory pressure; Firecracker's {@code deflate_on_oom}),
 * {@code vcpus}
 * (1..32, default 1), {@code cpu_weight} (1..65535, default 256), {@code cap} (percent of one CPU,
 * 0..100*vcpus, 0 = no cap), {@code sched_slice_ms} (CoopVM's: the domain's own time slice,
 * 1..1000 ms, default 0 = the host's {@code sched_credit_tslice_ms}), {@code workload} (required), {@code workload_args} (list of
 * strings), {@code isolation} ("process" | "in-process"), {@code on_poweroff} (default
 * destroy), {@code on_reboot} (default restart), {@code on_crash} (default destroy),
 * {@code memory_weight} (1..65535, default 256: the domain's claim on memory under a balloon
 * policy, ESX's shares; Xen has no memory weight, so CoopVM takes the credit weight's range),
 * {@code coop_policy} (the guest-side cooperation policy the guest kernel runs, e.g.
 * "memory-cooperative"; default none) and {@code coop_policy_args} (its {@code key=value}
 * parameters, a list of strings). The hypervisor cannot see guest code, so here the name and the
 * arguments are checked for form only; the toolstack checks that the guest knows the policy and
 * accepts the arguments before the domain is built;
 * {@code disk} (list of xl disk specs, {@link DiskSpec}: raw image files served as virtual disks;
 * vdevs must differ), {@code vif} (list of xl vif specs, {@link VifConfig}: network interfaces on
 * dom0's switch; the handle is the position in the list; MACs must differ) and {@code swap}
 * (CoopVM's: the vdev of one of the writable disks, e.g. "xvdb", which the guest kernel uses as its
 * swap device; default none).
 *
 * @param name         domain name: letters, digits, '_', '.', '-', at most 64, not all digits.
 * @param memoryMib    initial memory reservation.
 * @param maxmemMib    most memory the domain may ever hold; at least {@code memoryMib}.
 * @param minmemMib    the floor ballooning never takes the domain below, 0..{@code memoryMib} (0: none).
 * @param vcpus        number of virtual CPUs.
 * @param sched        CPU scheduling: {@code cpu_weight}, {@code cap} (percent of one physical CPU, 0 = none)
 *                     and {@code sched_slice_ms} (0 = the host's slice); the cap checked against {@code vcpus}.
 * @param workload     the workload's name, as its {@code Workload} provider registers it.
 * @param workloadArgs arguments for the workload, as written.
 * @param isolation    where the guest runs.
 * @param onPoweroff   action when the guest powers off.
 * @param onReboot     action when the guest asks to reboot.
 * @param onCrash      action when the guest crashes (or is shut down as crashed).
 * @param deflateOnPressure whether the guest's balloon may deflate under memory pressure.
 * @param memoryWeight the domain's memory weight for balloon policies, 1..65535.
 * @param coopPolicy   the guest's cooperation policy, "" for none.
 * @param coopPolicyArgs its {@code key=value} parameters (none without a policy; keys unique).
 * @param disks        the virtual disks, each vdev once.
 * @param vifs         the network interfaces, handle i at position i.
 * @param swap         the vdev name of the disk the guest swaps to, "" for none; a writable disk of {@code disks}.
 *
 * <p>Thread safety: immutable.
 */
public record DomainConfig(
    String name,
    int memoryMib,
    int maxmemMib,
    int minmemMib,
    int vcpus,
    SchedParams sched,
    String workload,
    List<String> workloadArgs,
    Isolation isolation,
    LifecycleAction onPoweroff,
    LifecycleAction onReboot,
    LifecycleAction onCrash,
    boolean deflateOnPressure,
    int memoryWeight,
    String coopPolicy,
    List<String> coopPolicyArgs,
    List<DiskSpec> disks,
    List<VifConfig> vifs,
    String swap)
{
    /** Largest memory or maxmem a domain config may ask for: 1 TiB. */
    public static final int MAX_MEMORY_MIB = 1024 * 1024;
    /** Most vCPUs a domain may have. */
    public static final int MAX_VCPUS = 32;
    /** Longest domain name. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Default credit-scheduler weight, as Xen's. */
    public static final int DEFAULT_WEIGHT = SchedParams.DEFAULT_WEIGHT;

    /** Longest value of a {@code coop_policy_args} entry. */
    public static final int MAX_COOP_ARG_VALUE_LENGTH = 256;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_NAME_LENGTH + "}");
    private static final Pattern COOP_POLICY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern COOP_ARG_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final Set<String> KEYS = Set.of(
        "name", "memory", "maxmem", "minmem", "vcpus", "cpu_weight", "cap", "sched_slice_ms", "workload", "workload_args",
        "isolation", "on_poweroff", "on_reboot", "on_crash", "deflate_on_pressure", "memory_weight", "coop_policy",
        "coop_policy_args", "disk", "vif", "swap");

    /**
     * Validate the components (also when built in code, not parsed).
     */
    public DomainConfig
    {
        Objects.requireNonNull(workloadArgs, "workloadArgs");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(onPoweroff, "onPoweroff");
        Objects.requireNonNull(onReboot, "onReboot");
        Objects.requireNonNull(onCrash, "onCrash");
        checkName(name, "domain config", 0);
        if (memoryMib < 1 || memoryMib > MAX_MEMORY_MIB || maxmemMib < memoryMib || maxmemMib > MAX_MEMORY_MIB)
        {
            throw new IllegalArgumentException("memory " + memoryMib + " MiB / maxmem " + maxmemMib +
                " MiB: need 1 <= memory <= maxmem <= " + MAX_MEMORY_MIB);
        }
        if (minmemMib < 0 || minmemMib > memoryMib)
        {
            throw new IllegalArgumentException("minmem " + minmemMib + " MiB: need 0 <= minmem <= memory (" + memoryMib + " MiB)");
        }
        if (vcpus < 1 || vcpus > MAX_VCPUS)
        {
            throw new IllegalArgumentException("vcpus " + vcpus + ": need 1.." + MAX_VCPUS);
        }
        Objects.requireNonNull(sched, "sched").checkFor(vcpus);
        if (workload == null || workload.isBlank())
        {
            throw new IllegalArgumentException("workload must be named");
        }
        if (memoryWeight < 1 || memoryWeight > 65535)
        {
            throw new IllegalArgumentException("memory_weight " + memoryWeight + ": need 1..65535");
        }
        workloadArgs = List.copyOf(workloadArgs);
        Objects.requireNonNull(coopPolicy, "coopPolicy");
        coopPolicyArgs = List.copyOf(coopPolicyArgs);
        final String coopProblem = coopProblem(coopPolicy, coopPolicyArgs);
        if (coopProblem != null)
        {
            throw new IllegalArgumentException(coopProblem);
        }
        disks = List.copyOf(Objects.requireNonNull(disks, "disks"));
        if (disks.stream().map(DiskSpec::vdev).distinct().count() != disks.size())
        {
            throw new IllegalArgumentException("two disks have the same vdev");
        }
        vifs = List.copyOf(Objects.requireNonNull(vifs, "vifs"));
        for (int i = 0; i < vifs.size(); i++)
        {
            if (vifs.get(i).handle() != i)
            {
                throw new IllegalArgumentException("vif at position " + i + " has handle " + vifs.get(i).handle());
            }
        }
        if (vifs.stream().flatMap(vif -> vif.mac().stream()).distinct().count() != vifs.stream().filter(vif -> vif.mac().isPresent()).count())
        {
            throw new IllegalArgumentException("two vifs have the same mac");
        }
        final String swapProblem = swapProblem(Objects.requireNonNull(swap, "swap"), disks);
        if (swapProblem != null)
        {
            throw new IllegalArgumentException(swapProblem);
        }
    }

    /**
     * A config without disks.
     *
     * @param name              domain name.
     * @param memoryMib         initial memory reservation.
     * @param maxmemMib         most memory the domain may ever hold.
     * @param minmemMib         the balloon floor (0: none).
     * @param vcpus             number of virtual CPUs.
     * @param weight            credit-scheduler weight.
     * @param capPercent        credit-scheduler cap.
     * @param workload          the workload's name.
     * @param workloadArgs      arguments for the workload.
     * @param isolation         where the guest runs.
     * @param onPoweroff        action when the guest powers off.
     * @param onReboot          action when the guest asks to reboot.
     * @param onCrash           action when the guest crashes.
     * @param deflateOnPressure whether the guest's balloon may deflate under memory pressure.
     * @param memoryWeight      the domain's memory weight.
     */
    public DomainConfig(final String name, final int memoryMib, final int maxmemMib, final int minmemMib, final int vcpus,
        final int weight, final int capPercent, final String workload, final List<String> workloadArgs,
        final Isolation isolation, final LifecycleAction onPoweroff, final LifecycleAction onReboot,
        final LifecycleAction onCrash, final boolean deflateOnPressure, final int memoryWeight)
    {
        this(name, memoryMib, maxmemMib, minmemMib, vcpus, new SchedParams(weight, capPercent, SchedParams.HOST_SLICE), workload,
            workloadArgs, isolation, onPoweroff, onReboot, onCrash, deflateOnPressure, memoryWeight, "", List.of(), List.of(), List.of(), "");
    }

    /**
     * A config with the defaults of the later keys: the host's slice, no deflate under pressure, the
     * default memory weight, no cooperation policy.
     *
     * @param name         domain name.
     * @param memoryMib    initial memory reservation.
     * @param maxmemMib    most memory the domain may ever hold.
     * @param minmemMib    the balloon floor (0: none).
     * @param vcpus        number of virtual CPUs.
     * @param weight       credit-scheduler weight ({@code cpu_weight}).
     * @param capPercent   credit-scheduler cap.
     * @param workload     the workload's name.
     * @param workloadArgs arguments for the workload.
     * @param isolation    where the guest runs.
     * @param onPoweroff   action when the guest powers off.
     * @param onReboot     action when the guest asks to reboot.
     * @param onCrash      action when the guest crashes.
     */
    public DomainConfig(final String name, final int memoryMib, final int maxmemMib, final int minmemMib, final int vcpus,
        final int weight, final int capPercent, final String workload, final List<String> workloadArgs,
        final Isolation isolation, final LifecycleAction onPoweroff, final LifecycleAction onReboot,
        final LifecycleAction onCrash)
    {
        this(name, memoryMib, maxmemMib, minmemMib, vcpus, new SchedParams(weight, capPercent, SchedParams.HOST_SLICE), workload,
            workloadArgs, isolation, onPoweroff, onReboot, onCrash, false, DEFAULT_WEIGHT, "", List.of(), List.of(), List.of(), "");
    }

    /**
     * @param policy a cooperation policy name, "" for none.
     * @param args   its {@code key=value} parameters.
     * @return this config running that policy in the guest.
     * @throws IllegalArgumentException when the name or an argument is malformed.
     */
    public DomainConfig withCoopPolicy(final String policy, final List<String> args)
    {
        return new DomainConfig(name, memoryMib, maxmemMib, minmemMib, vcpus, sched, workload, workloadArgs, isolation,
            onPoweroff, onReboot, onCrash, deflateOnPressure, memoryWeight, policy, args, disks, vifs, swap);
    }

    /**
     * @param params the domain's CPU scheduling parameters.
     * @return this config with them.
     * @throws IllegalArgumentException when the cap is above 100 per vCPU.
     */
    public DomainConfig withSched(final SchedParams params)
    {
        return new DomainConfig(name, memoryMib, maxmemMib, minmemMib, vcpus, params, workload, workloadArgs, isolation,
            onPoweroff, onReboot, onCrash, deflateOnPressure, memoryWeight, coopPolicy, coopPolicyArgs, disks, vifs, swap);
    }

    /** @return {@link #coopPolicyArgs()} as a map from key to value, in order. */
    public Map<String, String> coopPolicyArgMap()
    {
        final Map<String, String> args = new LinkedHashMap<>();
        for (final String arg : coopPolicyArgs)
        {
            final int equals = arg.indexOf('=');
            args.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return args;
    }

    /**
     * @param file an xl.cfg-style domain file.
     * @return the validated config.
     * @throws ConfigException naming the file, line and key of the first problem.
     * @throws UncheckedIOException if the file cannot be read.
     */
    public static DomainConfig read(final Path file)
    {
        try
        {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read domain config " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param text   the file's contents.
     * @param source the file name for error messages.
     * @return the validated config.
     * @throws ConfigException naming the source, line and key of the first problem.
     */
    public static DomainConfig parse(final String text, final String source)
    {
        return from(XlConfigParser.parse(text, source), source);
    }

    /**
     * @param settings parsed settings (from a file, overrides merged in).
     * @param source   the file name for errors about missing keys.
     * @return the validated config.
     * @throws ConfigException naming the source, line and key of the first problem.
     */
    public static DomainConfig from(final Map<String, Setting> settings, final String source)
    {
        final SettingsReader reader = new SettingsReader(settings, source, KEYS);
        final String name = reader.requiredString("name", "the domain's name");
        checkName(name, source, reader.setting("name").line());
        final int memoryMib = (int)reader.requiredInteger("memory", 1, MAX_MEMORY_MIB, "MiB");
        final int maxmemMib = (int)reader.integer("maxmem", memoryMib, memoryMib, MAX_MEMORY_MIB, "MiB, at least memory");
        final int minmemMib = (int)reader.integer("minmem", 0, 0, memoryMib, "MiB, at most memory");
        final int vcpus = (int)reader.integer("vcpus", 1, 1, MAX_VCPUS, "");
        final List<DiskSpec> disks = disks(reader, source);
        return new DomainConfig(
            name,
            memoryMib,
            maxmemMib,
            minmemMib,
            vcpus,
            sched(reader, vcpus),
            workload(reader),
            reader.stringList("workload_args"),
            reader.choice("isolation", Isolation.class, Isolation.PROCESS),
            reader.choice("on_poweroff", LifecycleAction.class, LifecycleAction.DESTROY),
            reader.choice("on_reboot", LifecycleAction.class, LifecycleAction.RESTART),
            reader.choice("on_crash", LifecycleAction.class, LifecycleAction.DESTROY),
            reader.integer("deflate_on_pressure", 0, 0, 1, "1 lets the balloon deflate under memory pressure") == 1,
            (int)reader.integer("memory_weight", DEFAULT_WEIGHT, 1, 65535, "the domain's share of memory under a balloon policy"),
            coopPolicy(reader),
            coopPolicyArgs(reader),
            disks,
            vifs(reader),
            swap(reader, disks));
    }

    /**
     * @param disks the config's disks (they replace the current ones).
     * @param vdev  the disk to swap to, "" for none.
     * @return this config with those disks and that swap device.
     * @throws IllegalArgumentException when the swap device is not a writable disk of them.
     */
    public DomainConfig withDisks(final List<DiskSpec> disks, final String vdev)
    {
        return new DomainConfig(name, memoryMib, maxmemMib, minmemMib, vcpus, sched, workload, workloadArgs, isolation,
            onPoweroff, onReboot, onCrash, deflateOnPressure, memoryWeight, coopPolicy, coopPolicyArgs, disks, vifs, vdev);
    }

    /** {@code swap}: checked against the config's disks. */
    private static String swap(final SettingsReader reader, final List<DiskSpec> disks)
    {
        final String vdev = reader.string("swap", "").trim();
        final String problem = swapProblem(vdev, disks);
        if (problem != null)
        {
            throw reader.setting("swap").error(problem);
        }
        return vdev;
    }

    /** @return what is wrong with the swap device, {@code null} when nothing. */
    private static String swapProblem(final String vdev, final List<DiskSpec> disks)
    {
        if (vdev.isEmpty())
        {
            return null;
        }
        final DiskSpec disk = disks.stream().filter(d -> d.vdev().name().equals(vdev)).findFirst().orElse(null);
        if (disk == null)
        {
            return "swap = \"" + vdev + "\" names no disk of this domain (disks: " +
                disks.stream().map(d -> d.vdev().name()).toList() + ")";
        }
        return disk.readOnly() ? "swap = \"" + vdev + "\" names a read-only disk; swap needs access=w" : null;
    }

    /** {@code cpu_weight}, {@code cap} and {@code sched_slice_ms}, checked by {@link SchedParams} (its messages give the range). */
    private static SchedParams sched(final SettingsReader reader, final int vcpus)
    {
        SchedParams params = SchedParams.DEFAULTS;
        params = reader.checked("cpu_weight", params, (p, value) -> p.withWeight(SettingsReader.toInt(value)));
        params = reader.checked("cap", params, (p, value) -> p.withCapPercent(SettingsReader.toInt(value)).checkFor(vcpus));
        return reader.checked("sched_slice_ms", params, (p, value) -> p.withSliceMs(SettingsReader.toInt(value)));
    }

    private static String coopPolicy(final SettingsReader reader)
    {
        final String policy = reader.string("coop_policy", "").trim();
        final String problem = coopPolicyProblem(policy);
        if (problem != null)
        {
            throw reader.setting("coop_policy").error(problem);
        }
        if (policy.isEmpty() && !coopPolicyArgs(reader).isEmpty())
        {
            throw reader.setting("coop_policy_args").error("coop_policy_args needs a coop_policy");
        }
        return policy;
    }

    private static List<String> coopPolicyArgs(final SettingsReader reader)
    {
        final List<String> args = reader.stringList("coop_policy_args");
        final String problem = coopArgsProblem(args);
        if (problem != null)
        {
            throw reader.setting("coop_policy_args").error(problem);
        }
        return args;
    }

    /** @return what is wrong with the cooperation policy and its arguments together, {@code null} when nothing. */
    private static String coopProblem(final String policy, final List<String> args)
    {
        if (policy.isEmpty() && !args.isEmpty())
        {
            return "coop_policy_args " + args + " given without a coop_policy";
        }
        final String problem = coopPolicyProblem(policy);
        return problem == null ? coopArgsProblem(args) : problem;
    }

    private static String coopPolicyProblem(final String policy)
    {
        return policy.isEmpty() || COOP_POLICY.matcher(policy).matches() ? null : "coop_policy = \"" + policy +
            "\" is not a policy name: 1..64 of a-z 0-9 _ . - starting with a letter or digit";
    }

    private static String coopArgsProblem(final List<String> args)
    {
        final Set<String> keys = new HashSet<>();
        for (final String arg : args)
        {
            final int equals = arg.indexOf('=');
            final String key = equals < 0 ? arg : arg.substring(0, equals);
            if (equals < 0 || !COOP_ARG_KEY.matcher(key).matches() || arg.length() - equals - 1 > MAX_COOP_ARG_VALUE_LENGTH ||
                arg.indexOf('\0') >= 0)
            {
                return "coop_policy_args entry \"" + arg + "\" is not key=value (key: a-z 0-9 _ starting with a letter; value: at most " +
                    MAX_COOP_ARG_VALUE_LENGTH + " characters)";
            }
            if (!keys.add(key))
            {
                return "coop_policy_args gives " + key + " twice";
            }
        }
        return null;
    }

    private static List<DiskSpec> disks(final SettingsReader reader, final String source)
    {
        final List<String> specs = reader.stringList("disk");
        final Path configDir = configDirectory(source);
        final List<DiskSpec> disks = new ArrayList<>(specs.size());
        for (final String spec : specs)
        {
            try
            {
                final DiskSpec disk = DiskSpec.parse(spec, configDir);
                if (disks.stream().anyMatch(other -> other.vdev().equals(disk.vdev())))
                {
                    throw new IllegalArgumentException("vdev " + disk.vdev().name() + " is used twice");
                }
                disks.add(disk);
            }
            catch (final IllegalArgumentException ex)
            {
                throw reader.setting("disk").error("disk '" + spec + "': " + ex.getMessage());
            }
        }
        return disks;
    }

    private static List<VifConfig> vifs(final SettingsReader reader)
    {
        final List<String> specs = reader.stringList("vif");
        final List<VifConfig> vifs = new ArrayList<>(specs.size());
        for (final String spec : specs)
        {
            try
            {
                final VifConfig vif = VifConfig.parse(vifs.size(), spec);
                if (vif.mac().isPresent() && vifs.stream().anyMatch(other -> other.mac().equals(vif.mac())))
                {
                    throw new IllegalArgumentException("mac " + vif.mac().get() + " is used twice");
                }
                vifs.add(vif);
            }
            catch (final IllegalArgumentException ex)
            {
                throw reader.setting("vif").error("vif " + vifs.size() + " '" + spec + "': " + ex.getMessage());
            }
        }
        return vifs;
    }

    /** @return the directory of the config file named {@code source}, null when it names none. */
    private static Path configDirectory(final String source)
    {
        try
        {
            return Path.of(source).toAbsolutePath().getParent();
        }
        catch (final InvalidPathException ex)
        {
            return null;
        }
    }

    private static String workload(final SettingsReader reader)
    {
        final String workload = reader.requiredString("workload", "the workload to run, e.g. \"idle\"");
        if (workload.isBlank())
        {
            throw reader.setting("workload").error("workload = \"\" must name a workload, e.g. \"idle\"");
        }
        return workload;
    }

    private static void checkName(final String name, final String source, final int line)
    {
        if (name == null || !NAME.matcher(name).matches() || ALL_DIGITS.matcher(name).matches())
        {
            throw new ConfigException(source, line, "name", "name = \"" + name + "\" is not allowed: use 1.." +
                MAX_NAME_LENGTH + " of A-Z a-z 0-9 _ . - and not only digits (a number means a domain id)");
        }
    }
}
