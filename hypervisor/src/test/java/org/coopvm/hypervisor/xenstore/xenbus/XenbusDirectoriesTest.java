package org.coopvm.hypervisor.xenstore.xenbus;

import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenbusDirectories;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenstore.XsErrno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The toolstack's device directories, as libxl makes them: each end owns its directory and the
 * other end may read it; a third guest can read neither; removal leaves nothing behind.
 */
class XenbusDirectoriesTest
{
    private final XenbusFixture store = new XenbusFixture();

    @AfterEach
    void close()
    {
        store.close();
    }

    @Test
    void bothDirectoriesHaveXensKeysAndStartInitialising()
    {
        store.guest(1);
        final XenbusDevice device = new XenbusDevice("console", 0, 1, 0);

        XenbusDirectories.create(store.dom0, device, Map.of("type", "xenconsoled"), Map.of());

        assertThat(store.dom0.read(device.frontendPath() + "/backend")).contains("/local/domain/0/backend/console/1/0");
        assertThat(store.dom0.read(device.frontendPath() + "/backend-id")).contains("0");
        assertThat(store.dom0.read(device.frontendPath() + "/state")).contains("1");
        assertThat(store.dom0.read(device.frontendPath() + "/type")).contains("xenconsoled");
        assertThat(store.dom0.read(device.backendPath() + "/frontend")).contains("/local/domain/1/device/console/0");
        assertThat(store.dom0.read(device.backendPath() + "/frontend-id")).contains("1");
        assertThat(store.dom0.read(device.backendPath() + "/online")).contains("1");
        assertThat(store.dom0.read(device.backendPath() + "/state")).contains("1");
    }

    @Test
    void eachEndOwnsItsDirectoryReadsTheOtherAndAThirdGuestSeesNeither()
    {
        final XenstoredAccess frontend = store.guest(1);
        final XenstoredAccess third = store.guest(2);
        final XenstoredAccess backend = store.guest(3); // a driver domain serving the device
        final XenbusDevice device = new XenbusDevice("vif", 0, 1, 3);
        XenbusDirectories.create(store.dom0, device, Map.of(), Map.of());

        frontend.write(device.frontendPath() + "/state", "3");
        frontend.write(device.frontendPath() + "/tx-ring-ref", "9");
        backend.write(device.backendPath() + "/state", "4");
        assertThat(backend.read(device.frontendPath() + "/tx-ring-ref")).contains("9");
        assertThat(frontend.read(device.backendPath() + "/state")).contains("4");

        assertDenied(() -> frontend.write(device.backendPath() + "/state", "6"));
        assertDenied(() -> backend.write(device.frontendPath() + "/state", "6"));
        for (final String dir : new String[] {device.frontendPath(), device.backendPath()})
        {
            assertDenied(() -> third.read(dir + "/state"));
            assertDenied(() -> third.directory(dir));
            assertDenied(() -> third.write(dir + "/state", "6"));
        }
        assertDenied(() -> third.read(device.frontendPath() + "/tx-ring-ref"));
    }

    @Test
    void removingTheDeviceLeavesNoDirectoryBehindAndMissingIsFine()
    {
        store.guest(1);
        final XenbusDevice device = new XenbusDevice("console", 0, 1, 0);
        XenbusDirectories.create(store.dom0, device, Map.of(), Map.of());

        XenbusDirectories.remove(store.dom0, device);
        XenbusDirectories.remove(store.dom0, device);

        assertThat(store.dom0.read(device.frontendPath())).isEmpty();
        assertThat(store.dom0.directory(XenbusDevice.backendTypePath(0, "console"))).isEmpty();
        assertThat(store.dom0.read("/local/domain/1/device")).as("the guest's device dir stays").isPresent();
    }

    private static void assertDenied(final Runnable call)
    {
        assertThatThrownBy(call::run).isInstanceOf(XenstoreAccessException.class)
            .extracting(e -> ((XenstoreAccessException)e).errno()).isEqualTo(XsErrno.EACCES);
    }
}
