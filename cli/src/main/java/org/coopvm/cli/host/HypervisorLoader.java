package org.coopvm.cli.host;

import org.coopvm.cli.OperationFailedException;
import org.coopvm.hypervisor.api.HostControlFactory;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the hypervisor ({@link HostControlFactory}) with {@link ServiceLoader}: exactly one on
 * the class path, or the one named by {@code --hypervisor-factory}.
 *
 * <p>Thread safety: stateless.
 */
final class HypervisorLoader
{
    private HypervisorLoader()
    {
    }

    /**
     * @param wanted a factory class name, or null for "the only one".
     * @return the factory.
     * @throws OperationFailedException if none, or several and none chosen, or the chosen is absent.
     */
    static HostControlFactory load(final String wanted)
    {
        final List<ServiceLoader.Provider<HostControlFactory>> found =
            ServiceLoader.load(HostControlFactory.class).stream().toList();
        return choose(found, wanted).get();
    }

    static ServiceLoader.Provider<HostControlFactory> choose(
        final List<ServiceLoader.Provider<HostControlFactory>> found, final String wanted)
    {
        final List<String> names = found.stream().map(provider -> provider.type().getName()).toList();
        if (wanted != null)
        {
            return found.stream().filter(provider -> provider.type().getName().equals(wanted)).findFirst()
                .orElseThrow(() -> new OperationFailedException("hypervisor " + wanted + " is not on the class path (found: " + names + ")"));
        }
        if (found.isEmpty())
        {
            throw new OperationFailedException("no hypervisor on the class path: no " + HostControlFactory.class.getName() +
                " service is registered (the hypervisor module provides one)");
        }
        if (found.size() > 1)
        {
            throw new OperationFailedException("several hypervisors on the class path " + names +
                ": choose one with --hypervisor-factory CLASS");
        }
        return found.getFirst();
    }
}
