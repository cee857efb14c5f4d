package org.coopvm.cli.host;

import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.cli.OperationFailedException;
import org.coopvm.cli.RunDirOption;
import org.coopvm.cli.toolstack.ToolstackFactory;
import org.coopvm.hypervisor.config.HostConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host settings of {@code coop host start} (and of the background host's main): a host
 * config file and a command-line override for each of its keys.
 *
 * <p>Thread safety: confined to the command's thread.
 */
public final class HostOptions
{
    @Option(names = "--config", paramLabel = "FILE", description = "Host config file (xl.cfg syntax).")
    private Path config;

    @Option(names = "--pool-mib", paramLabel = "MIB", description = "Memory pool for guests (pool_mib; default 1024).")
    private Integer poolMib;

    @Option(names = {"--cpu-slots", "--cpus"}, paramLabel = "N",
        description = "Physical CPU slots P (cpu_slots; default: available processors).")
    private Integer cpuSlots;

    @Option(names = "--scheduler", paramLabel = "NAME", description = "CPU scheduler: credit (default), credit2, ... (scheduler).")
    private String scheduler;

    @Option(names = "--api-port", paramLabel = "PORT", description = "API port on 127.0.0.1 (api_port; default 0 = any free).")
    private Integer apiPort;

    @Option(names = "--trace-level", paramLabel = "LEVEL", description = "off, lifecycle or hypercalls (trace_level).")
    private String traceLevel;

    @Option(names = "--hypervisor-factory", paramLabel = "CLASS", hidden = true,
        description = "HostControlFactory class to use when several are on the class path.")
    private String factoryClass;

    /**
     * @param explicitRunDir {@code --run-dir} if given (it wins over the file), else null.
     * @return the validated host config.
     */
    public HostConfig resolve(final Path explicitRunDir)
    {
        final String text = config == null ? "" : read(config);
        final String source = config == null ? "command line" : config.toString();
        final Map<String, String> overrides = overrides();
        if (explicitRunDir != null)
        {
            overrides.put("run_dir", explicitRunDir.toString());
        }
        final HostConfig resolved = HostConfig.parse(text, source, overrides, RunDirOption.defaultRunDir());
        ToolstackFactory.checkPolicy(PolicyCatalog.load(), resolved, text, source);
        return resolved;
    }

    /**
     * @return the hidden {@code --hypervisor-factory} class name, or null.
     */
    public String factoryClass()
    {
        return factoryClass;
    }

    /**
     * @param resolved the config as resolved here.
     * @return arguments that make a background host resolve the same config.
     */
    public List<String> hostArguments(final HostConfig resolved)
    {
        final List<String> args = new ArrayList<>(List.of("--run-dir", resolved.runDir().toString()));
        if (config != null)
        {
            args.addAll(List.of("--config", config.toAbsolutePath().toString()));
        }
        overrides().forEach((key, value) -> args.addAll(List.of("--" + key.replace('_', '-'), value)));
        if (factoryClass != null)
        {
            args.addAll(List.of("--hypervisor-factory", factoryClass));
        }
        return args;
    }

    private Map<String, String> overrides()
    {
        final Map<String, String> overrides = new LinkedHashMap<>();
        putIfSet(overrides, "pool_mib", poolMib);
        putIfSet(overrides, "cpu_slots", cpuSlots);
        putIfSet(overrides, "scheduler", scheduler);
        putIfSet(overrides, "api_port", apiPort);
        putIfSet(overrides, "trace_level", traceLevel);
        return overrides;
    }

    private static void putIfSet(final Map<String, String> overrides, final String key, final Object value)
    {
        if (value != null)
        {
            overrides.put(key, value.toString());
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new OperationFailedException("cannot read host config " + file + ": " + ex);
        }
    }
}
