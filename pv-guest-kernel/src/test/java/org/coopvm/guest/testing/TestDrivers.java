package org.coopvm.guest.testing;

import org.coopvm.guest.driver.GuestDriver;
import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.workload.GuestContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guest drivers for kernel tests, registered in the test resources' {@code META-INF/services}.
 * They act only in domains a test lists in {@link #ACTIVE} (other modules' tests boot guests with
 * this class path too).
 */
public final class TestDrivers
{
    /** Domains whose kernels the test drivers act in. */
    public static final Set<Integer> ACTIVE = ConcurrentHashMap.newKeySet();
    /** Domains whose {@code test-recording} driver was stopped. */
    public static final Set<Integer> STOPPED = ConcurrentHashMap.newKeySet();

    private TestDrivers()
    {
    }

    /** {@code test-recording}: logs the thread it starts on; records its stop in {@link #STOPPED}. */
    public static final class Recording implements GuestDriver
    {
        @Override
        public String name()
        {
            return "test-recording";
        }

        @Override
        public RunningDriver start(final GuestContext ctx)
        {
            if (!ACTIVE.contains(ctx.domid()))
            {
                return () -> { };
            }
            ctx.console().log("test-recording started on " + Thread.currentThread().getName());
            return () -> STOPPED.add(ctx.domid());
        }
    }

    /** {@code test-failing}: its start throws. */
    public static final class Failing implements GuestDriver
    {
        @Override
        public String name()
        {
            return "test-failing";
        }

        @Override
        public RunningDriver start(final GuestContext ctx)
        {
            if (ACTIVE.contains(ctx.domid()))
            {
                throw new IllegalStateException("no such device in dom" + ctx.domid());
            }
            return () -> { };
        }
    }
}
