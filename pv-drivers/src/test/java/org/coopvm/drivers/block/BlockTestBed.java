package org.coopvm.drivers.block;

import org.coopvm.drivers.InProcessKernels;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockCompletion;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.xenbus.XenbusDevice;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hypervisor, dom0's block backend and in-process guests with disks, as the toolstack wires
 * them, for the block tests; with blocking helpers around the asynchronous block API.
 */
final class BlockTestBed implements AutoCloseable
{
    static final long DEADLINE_S = 60;

    final Hypervisor hypervisor;
    final BlockBackend backend;
    final XenstoredAccess toolstack;
    private final List<GuestKernel> kernels = new ArrayList<>();

    BlockTestBed()
    {
        hypervisor = new Hypervisor(HypervisorConfig.defaults(null));
        backend = new BlockBackend(hypervisor, VbdListener.NONE);
        hypervisor.start();
        toolstack = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { });
    }

    /** @return a new in-process domain (16 MiB) running {@code block-idle}. */
    Domain createDomain(final String name)
    {
        return hypervisor.createDomain(new DomainSpec(name, 1, 16 * 1024, 16 * 1024, 0, true, "block-idle", Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
    }

    /** Make the disk's xenstore directories, as the toolstack does before the guest boots. */
    VirtualDevice addDisk(final Domain domain, final String vdev, final Path image, final boolean readOnly)
    {
        final VirtualDevice device = VirtualDevice.parse(vdev).orElseThrow();
        BlkifDevice.create(toolstack, domain.domid(), device, image.toString(), readOnly);
        return device;
    }

    GuestKernel boot(final Domain domain)
    {
        return boot(domain, KernelConfig.DEFAULT);
    }

    GuestKernel boot(final Domain domain, final KernelConfig config)
    {
        final GuestKernel kernel = InProcessKernels.boot(hypervisor, domain, config);
        kernels.add(kernel);
        return kernel;
    }

    /** A kernel whose {@code block} driver is off: the test plays the frontend. */
    GuestKernel bootWithoutBlockDriver(final Domain domain)
    {
        return boot(domain, KernelConfig.DEFAULT.withDisabledDrivers(Set.of("block")));
    }

    /** Stop a guest's kernel (as a crash would) without telling anybody. */
    void kill(final GuestKernel kernel)
    {
        kernels.remove(kernel);
        kernel.close();
    }

    BlockDevice connectedDisk(final GuestKernel kernel, final String vdev)
    {
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> kernel.context().blockDevices().byName(vdev)
            .map(BlockDevice::isConnected).orElse(false));
        return kernel.context().blockDevices().byName(vdev).orElseThrow();
    }

    String backendState(final Domain domain, final VirtualDevice device)
    {
        return state(BlkifDevice.of(domain.domid(), device).backendPath());
    }

    String frontendState(final Domain domain, final VirtualDevice device)
    {
        return state(BlkifDevice.of(domain.domid(), device).frontendPath());
    }

    String backendKey(final Domain domain, final VirtualDevice device, final String key)
    {
        return toolstack.read(BlkifDevice.of(domain.domid(), device).backendPath() + "/" + key).orElse("(none)");
    }

    String frontendKey(final Domain domain, final VirtualDevice device, final String key)
    {
        return toolstack.read(BlkifDevice.of(domain.domid(), device).frontendPath() + "/" + key).orElse("(none)");
    }

    int dom0Mappings()
    {
        return hypervisor.locked(() -> hypervisor.grantTables().mappingsHeldBy(hypervisor.domain(0).orElseThrow()));
    }

    int dom0Ports()
    {
        return hypervisor.locked(() -> hypervisor.eventChannels().openPorts(hypervisor.domain(0).orElseThrow()));
    }

    private String state(final String dir)
    {
        return toolstack.read(dir + "/" + XenbusDevice.STATE).orElse("(none)");
    }

    @Override
    public void close()
    {
        kernels.forEach(GuestKernel::close);
        backend.close();
        toolstack.close();
        hypervisor.close();
    }

    /** @return a sparse image file of {@code mib} MiB. */
    static Path image(final Path dir, final String name, final int mib) throws IOException
    {
        final Path path = dir.resolve(name);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
        {
            file.setLength(mib * 1024L * 1024L);
        }
        return path;
    }

    /**
     * Submit through {@code submit} (which returns the submit status) and wait for the completion.
     *
     * @return the completion's status, or the submit's when it refused.
     */
    static int complete(final Function<BlockCompletion, Integer> submit)
    {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        final int submitted = submit.apply(done::complete);
        if (submitted != 0)
        {
            return submitted;
        }
        try
        {
            return done.get(DEADLINE_S, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("block request did not complete", ex);
        }
    }

    static int write(final BlockDevice disk, final long sector, final BlockBuffer buffer, final int sectors)
    {
        return complete(done -> disk.write(sector, buffer, 0, sectors, done));
    }

    static int read(final BlockDevice disk, final long sector, final BlockBuffer buffer, final int sectors)
    {
        return complete(done -> disk.read(sector, buffer, 0, sectors, done));
    }

    /** Fill the buffer's first {@code bytes} with {@code pattern(i)}. */
    static void fill(final BlockBuffer buffer, final int bytes, final IntUnaryOperator pattern)
    {
        for (int i = 0; i < bytes; i++)
        {
            buffer.memory().putByte(i, (byte)pattern.applyAsInt(i));
        }
    }

    static void assertFilled(final BlockBuffer buffer, final int bytes, final IntUnaryOperator pattern)
    {
        for (int i = 0; i < bytes; i++)
        {
            if (buffer.memory().getByte(i) != (byte)pattern.applyAsInt(i))
            {
                assertThat(buffer.memory().getByte(i)).as("byte %d", i).isEqualTo((byte)pattern.applyAsInt(i));
            }
        }
    }
}
