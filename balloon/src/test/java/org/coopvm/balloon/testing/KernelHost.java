package org.coopvm.balloon.testing;

import org.coopvm.guest.BootRegions;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.rings.testing.ShmDirectory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real hypervisor on a run directory under {@code /dev/shm} (deleted on close) whose guests are
 * real kernels booted in this JVM on the host's own mappings of their memory files, so what a
 * guest gives back is punched out of a file and measured. Consoles are kept per domain; xenstore
 * writes are dom0's.
 */
public final class KernelHost implements AutoCloseable
{
    /** The workload every guest runs: nothing (tests drive the guest's memory themselves). */
    public static final String IDLE = "balloon-test-idle";

    private final ShmDirectory run = new ShmDirectory();
    private final Map<Integer, StringBuffer> consoles = new ConcurrentHashMap<>();
    private final List<GuestKernel> kernels = new ArrayList<>();
    private final Hypervisor hypervisor;

    /** Start the hypervisor. */
    public KernelHost()
    {
        hypervisor = new Hypervisor(HypervisorConfig.defaults(run.path()).withConsole((domain, bytes, offset, length) ->
            consoles.computeIfAbsent(domain.domid(), d -> new StringBuffer()).append(bytes.getStringWithoutLengthUtf8(offset, length))));
        hypervisor.start();
    }

    /**
     * @param name      the domain's name.
     * @param memoryMib memory at boot.
     * @param maxmemMib most memory.
     * @param minmemMib the balloon's floor (0: none).
     * @return a file-backed spec running {@link #IDLE} on one vCPU.
     */
    public static DomainSpec spec(final String name, final int memoryMib, final int maxmemMib, final int minmemMib)
    {
        return new DomainSpec(name, 1, memoryMib * 1024L, maxmemMib * 1024L, minmemMib * 1024L, false, IDLE, Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES);
    }

    /** @return the run directory. */
    public Path runDir()
    {
        return run.path();
    }

    /** @return the hypervisor. */
    public Hypervisor hypervisor()
    {
        return hypervisor;
    }

    /**
     * Create the domain and boot its kernel in this JVM.
     *
     * @param spec the domain.
     * @return the domain.
     */
    public Domain boot(final DomainSpec spec)
    {
        final Domain domain = hypervisor.createDomain(spec);
        kernels.add(GuestKernel.boot(BootRegions.inProcess(hypervisor.inProcessRegions(domain.domid()), run.path())));
        return domain;
    }

    /**
     * @param domain a booted domain.
     * @return its kernel.
     */
    public GuestKernel kernel(final Domain domain)
    {
        return kernels.stream().filter(kernel -> kernel.domid() == domain.domid()).findFirst().orElseThrow();
    }

    /**
     * dom0 writes a node of the domain's home, as {@code xenstore-write} does.
     *
     * @param domain   the domain.
     * @param relative the path under {@code /local/domain/<domid>}.
     * @param value    the value.
     */
    public void write(final Domain domain, final String relative, final String value)
    {
        hypervisor.xenstored().write("/local/domain/" + domain.domid() + "/" + relative, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param domain a domain.
     * @return what its guest wrote on its console so far.
     */
    public String console(final Domain domain)
    {
        final StringBuffer text = consoles.get(domain.domid());
        return text == null ? "" : text.toString();
    }

    @Override
    public void close()
    {
        kernels.forEach(GuestKernel::close);
        hypervisor.close();
        run.close();
    }

    /** {@value #IDLE}: starts nothing. */
    public static final class Idle implements Workload
    {
        @Override
        public String name()
        {
            return IDLE;
        }

        @Override
        public void start(final GuestContext ctx, final Map<String, String> args)
        {
            // nothing: the test drives the guest's memory
        }
    }
}
