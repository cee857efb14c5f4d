package org.coopvm.cli.toolstack;

import org.coopvm.guest.BootRegions;
import org.coopvm.guest.GuestKernel;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts the guest of a domain the hypervisor has built: a child JVM running
 * {@code org.coopvm.guest.GuestMain} with the host's own JDK, JVM flags ({@code @jvm.options})
 * and class path, or a guest kernel in this JVM on the domain's anonymous regions.
 *
 * <p>Thread safety: stateless after construction; any thread.
 */
final class GuestLauncher
{
    /** System property naming the JVM options argfile, set by {@code ./coop} and Surefire. */
    static final String JVM_OPTIONS_PROPERTY = "coop.jvm.options.file";
    static final String GUEST_MAIN = "org.coopvm.guest.GuestMain";

    private final Hypervisor hypervisor;
    private final Path runDir;
    private final Path logDir;

    GuestLauncher(final Hypervisor hypervisor, final Path runDir)
    {
        this.hypervisor = hypervisor;
        this.runDir = runDir;
        this.logDir = runDir.resolve(Toolstack.LOG_DIR);
    }

    /**
     * @param domain a domain built for a process guest.
     * @return the running child JVM; its output goes to {@code <run>/logs/dom<N>.log}.
     * @throws IOException when the JVM cannot be started.
     */
    Guest launchProcess(final Domain domain) throws IOException
    {
        Files.createDirectories(logDir);
        final Path log = logDir.resolve("dom" + domain.domid() + ".log");
        final Process process = new ProcessBuilder(command(domain.domid()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        return new ProcessGuest(process);
    }

    /**
     * @param domain a domain built with anonymous (in-process) regions.
     * @return the booted guest kernel.
     */
    Guest bootInProcess(final Domain domain)
    {
        return new InProcessGuest(GuestKernel.boot(BootRegions.inProcess(hypervisor.inProcessRegions(domain.domid()), runDir)));
    }

    private List<String> command(final int domid)
    {
        final String options = System.getProperty(JVM_OPTIONS_PROPERTY);
        if (options == null || !Files.isReadable(Path.of(options)))
        {
            throw new IllegalStateException("cannot start a process guest: system property " + JVM_OPTIONS_PROPERTY +
                " must name the jvm.options file (./coop sets it), got " + options);
        }
        final String java = ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this host"));
        return List.of(java, "@" + options, "-D" + JVM_OPTIONS_PROPERTY + "=" + options,
            "-cp", System.getProperty("java.class.path"), GUEST_MAIN,
            "--run-dir", runDir.toString(), "--domid", Integer.toString(domid));
    }
}
