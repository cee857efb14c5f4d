package org.coopvm.drivers.block;

import org.coopvm.drivers.InProcessKernels;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole host in a child JVM for the host-kill durability test: hypervisor, block backend and an
 * in-process guest running {@code block-durability} on the image named by {@code args[0]}; prints
 * {@code host: flushed} once the guest's flush has completed, then runs until it is killed.
 */
public final class BlockHostChild
{
    private BlockHostChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null));
        final BlockBackend backend = new BlockBackend(hypervisor, VbdListener.NONE);
        hypervisor.start();
        backend.start();
        final XenstoredAccess dom0 = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { });
        final Domain domain = hypervisor.createDomain(new DomainSpec("durable", 1, 16 * 1024, 16 * 1024, 0, true, "block-durability",
            Map.of(), 4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        BlkifDevice.create(dom0, domain.domid(), VirtualDevice.parse("xvda").orElseThrow(), args[0], false);
        InProcessKernels.boot(hypervisor, domain);
        final String node = "/local/domain/" + domain.domid() + "/" + BlockDurabilityWorkload.FLUSHED_NODE;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (dom0.read(node).isEmpty() && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(5);
        }
        System.out.println("host: " + dom0.read(node).orElse("timed out"));
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }
}
