package org.coopvm.cli.host;

import org.coopvm.cli.InMemoryHostControlFactory;
import org.coopvm.cli.OperationFailedException;
import org.coopvm.hypervisor.api.HostControlFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HypervisorLoaderTest
{
    @Test
    void noHypervisorOnTheClassPathIsAClearError()
    {
        assertThatThrownBy(() -> HypervisorLoader.choose(List.of(), null))
            .isInstanceOf(OperationFailedException.class)
            .hasMessageContaining("no hypervisor on the class path: no org.coopvm.hypervisor.api.HostControlFactory service");
    }

    @Test
    void theOnlyOneIsUsedAndSeveralNeedAChoice()
    {
        final ServiceLoader.Provider<HostControlFactory> only = ServiceLoader.load(HostControlFactory.class).stream()
            .filter(p -> p.type() == InMemoryHostControlFactory.class).findFirst().orElseThrow();

        assertThat(HypervisorLoader.choose(List.of(only), null)).isSameAs(only);
        assertThatThrownBy(() -> HypervisorLoader.choose(List.of(only, only), null))
            .hasMessageContaining("several hypervisors on the class path").hasMessageContaining("--hypervisor-factory");
        assertThat(HypervisorLoader.choose(List.of(only, only), InMemoryHostControlFactory.class.getName())).isSameAs(only);
    }
}
