package org.coopvm.guest.testing;

import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;

/**
 * Workloads for kernel tests, registered in the test resources' {@code META-INF/services}.
 */
public final class TestWorkloads
{
    private TestWorkloads()
    {
    }

    /** {@code test-idle}: starts nothing. */
    public static final class Idle implements Workload
    {
        @Override
        public String name()
        {
            return "test-idle";
        }

        @Override
        public void start(final GuestContext ctx, final Map<String, String> args)
        {
            // nothing: the vCPUs go idle
        }
    }

    /** {@code test-hello}: logs a line naming the domain and its arguments, then powers off. */
    public static final class Hello implements Workload
    {
        @Override
        public String name()
        {
            return "test-hello";
        }

        @Override
        public void start(final GuestContext ctx, final Map<String, String> args)
        {
            ctx.console().log("hello from dom" + ctx.domid() + " greeting=" + args.get("greeting"));
            ctx.shutdown(ShutdownReason.POWEROFF);
        }
    }
}
