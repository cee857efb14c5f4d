package org.coopvm.cli.toolstack;

import org.coopvm.hypervisor.sched.runtime.SchedListener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * One {@link SchedListener} that tells several, in order, about every event, whatever methods the
 * interface has (a method added to it reaches all of them without a change here). The CPU scheduler
 * takes one listener; the toolstack has two (the trace, and its own resume hook). Scheduler events
 * are rare (overruns, suspensions, parameter changes), so a reflective call each costs nothing
 * that matters.
 *
 * <p>Thread safety: as the listeners it calls.
 */
final class SchedListeners
{
    private SchedListeners()
    {
    }

    /**
     * @param listeners told in this order.
     * @return a listener telling each of them.
     */
    static SchedListener fanOut(final SchedListener... listeners)
    {
        final List<SchedListener> targets = List.of(listeners);
        return (SchedListener)Proxy.newProxyInstance(SchedListener.class.getClassLoader(), new Class<?>[]{SchedListener.class},
            (proxy, method, args) -> dispatch(targets, proxy, method, args));
    }

    private static Object dispatch(final List<SchedListener> targets, final Object proxy, final Method method, final Object[] args)
        throws Throwable
    {
        if (method.getDeclaringClass() == Object.class)
        {
            return switch (method.getName())
            {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "SchedListeners" + targets;
            };
        }
        for (final SchedListener target : targets)
        {
            try
            {
                method.invoke(target, args);
            }
            catch (final InvocationTargetException ex)
            {
                throw ex.getCause();
            }
        }
        return null;
    }
}
