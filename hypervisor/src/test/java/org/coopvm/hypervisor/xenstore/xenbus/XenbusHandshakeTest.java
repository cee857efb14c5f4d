package org.coopvm.hypervisor.xenstore.xenbus;

import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.xenbus.XenbusBackend;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenbusDirectories;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenbusFrontend;
import org.coopvm.rings.xenbus.XenbusState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The xenbus state machine between a guest's frontend (domid 1) and dom0's backend over the real
 * xenstored, with Xen's rules: who waits for whom, closing from either end, an end that vanishes,
 * and garbage in a state node. Watch events are delivered on the test's thread
 * ({@link XenbusFixture#settle()}), so each step is deterministic.
 */
class XenbusHandshakeTest
{
    private static final XenbusDevice DEVICE = new XenbusDevice("vbd", 51712, 1, 0);

    private final XenbusFixture store = new XenbusFixture();
    private final List<String> calls = new ArrayList<>();
    private XenstoredAccess guest;
    private boolean backendAccepts = true;
    private XenbusBackend startedBackend;

    @BeforeEach
    void device()
    {
        guest = store.guest(1);
        XenbusDirectories.create(store.dom0, DEVICE, Map.of(), Map.of());
    }

    @AfterEach
    void close()
    {
        store.close();
    }

    @Test
    void theFrontendPublishesOnlyAfterTheBackendWaitsThenBothConnect()
    {
        final XenbusFrontend frontend = startFrontend();
        store.settle();
        assertThat(stateNode(DEVICE.frontendPath())).as("frontend waits for InitWait").isEqualTo("1");
        assertThat(guest.read(DEVICE.frontendPath() + "/ring-ref")).isEmpty();
        assertThat(calls).isEmpty();

        final XenbusBackend backend = startBackend();
        store.settle();

        assertThat(calls).containsExactly("fe:initialise", "be:connect ring-ref=8", "fe:connected");
        assertThat(stateNode(DEVICE.frontendPath())).isEqualTo("4");
        assertThat(stateNode(DEVICE.backendPath())).isEqualTo("4");
        assertThat(frontend.end().otherState()).isEqualTo(XenbusState.CONNECTED);
        assertThat(backend.isConnected()).isTrue();
    }

    @Test
    void aBackendStartedFirstWaitsInInitWaitAndConnectsWhenTheFrontendComes()
    {
        final XenbusBackend backend = startBackend();
        store.settle();
        assertThat(stateNode(DEVICE.backendPath())).isEqualTo("2");
        assertThat(calls).isEmpty();

        startFrontend();
        store.settle();

        assertThat(calls).containsExactly("fe:initialise", "be:connect ring-ref=8", "fe:connected");
        assertThat(backend.end().state()).isEqualTo(XenbusState.CONNECTED);
        assertThat(stateNode(DEVICE.frontendPath())).isEqualTo("4");
    }

    @Test
    void theHandlerSeesEachChangeOnceWithOldAndNewStateAndAVanishedEndAsClosed()
    {
        final List<String> seen = new ArrayList<>();
        final XenbusEnd end = XenbusEnd.open(guest, XenbusEnd.Role.FRONTEND, DEVICE.frontendPath(),
            (e, old, now) -> seen.add(old + "->" + now)).start();
        store.settle();
        for (final String state : List.of("2", "2", "4", "4"))
        {
            store.dom0.write(DEVICE.backendPath() + "/state", state);
            store.settle();
        }
        store.dom0.rm(DEVICE.backendPath());
        store.settle();

        assertThat(seen).containsExactly("UNKNOWN->INITIALISING", "INITIALISING->INIT_WAIT", "INIT_WAIT->CONNECTED",
            "CONNECTED->CLOSED");
        assertThat(end.otherEndErrors()).isZero();
    }

    @Test
    void closingFromTheFrontendMakesTheBackendReleaseAndBothEndClosed()
    {
        final XenbusFrontend frontend = connected();

        frontend.requestClose();
        store.settle();

        assertThat(calls).containsExactly("be:disconnect", "fe:disconnected");
        assertThat(stateNode(DEVICE.frontendPath())).isEqualTo("6");
        assertThat(stateNode(DEVICE.backendPath())).isEqualTo("6");
    }

    @Test
    void closingFromTheBackendMakesTheFrontendStopAndBothEndClosed()
    {
        final XenbusFrontend frontend = connected();
        final XenbusBackend backend = startedBackend;

        backend.close();
        store.settle();

        assertThat(calls).containsExactly("be:disconnect", "fe:disconnected");
        assertThat(stateNode(DEVICE.backendPath())).isEqualTo("6");
        assertThat(stateNode(DEVICE.frontendPath())).isEqualTo("6");
        assertThat(frontend.end().otherState()).isEqualTo(XenbusState.CLOSED);
    }

    @Test
    void aFrontendThatVanishesIsClosedForTheBackend()
    {
        connected();

        store.dom0.rm(DEVICE.frontendPath());
        store.settle();

        assertThat(calls).containsExactly("be:disconnect", "fe:disconnected");
        assertThat(startedBackend.isConnected()).isFalse();
        assertThat(stateNode(DEVICE.backendPath())).isEqualTo("6");
        assertThat(store.dom0.read(DEVICE.frontendPath())).as("a removed device is not recreated").isEmpty();
    }

    @Test
    void aBackendThatVanishesIsClosedForTheFrontend()
    {
        final XenbusFrontend frontend = connected();

        store.dom0.rm(DEVICE.backendPath());
        store.settle();

        assertThat(calls).containsExactly("fe:disconnected", "be:disconnect");
        assertThat(frontend.end().state()).isEqualTo(XenbusState.CLOSED);
        assertThat(stateNode(DEVICE.frontendPath())).isEqualTo("6");
        assertThat(store.dom0.read(DEVICE.backendPath())).as("a removed device is not recreated").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"banana", "", "4x", " 4", "-1", "9", "99999999999", "\uff14", "0x4"})
    void garbageInTheGuestsStateIsCountedAndIgnored(final String garbage)
    {
        connected();

        guest.write(DEVICE.frontendPath() + "/state", garbage);
        store.settle();

        assertThat(startedBackend.end().otherEndErrors()).isEqualTo(1);
        assertThat(calls).as("no driver call, no crash").isEmpty();
        assertThat(startedBackend.isConnected()).isTrue();
        assertThat(stateNode(DEVICE.backendPath())).isEqualTo("4");

        guest.write(DEVICE.frontendPath() + "/state", "5");
        store.settle();
        assertThat(calls).as("the next good state is followed").containsExactly("be:disconnect", "fe:disconnected");
    }

    @Test
    void detailsTheBackendCannotUseCloseTheDevice()
    {
        backendAccepts = false;
        startBackend();
        final XenbusFrontend frontend = startFrontend();
        store.settle();

        assertThat(startedBackend.failures()).isEqualTo(1);
        assertThat(calls).containsExactly("fe:initialise", "be:connect ring-ref=8", "fe:disconnected");
        assertThat(frontend.end().state()).isEqualTo(XenbusState.CLOSED);
        assertThat(stateNode(DEVICE.backendPath())).isEqualTo("6");
    }

    @Test
    void aClosedBackendWaitsAgainWhenTheFrontendReconnects()
    {
        final XenbusFrontend frontend = connected();
        frontend.requestClose();
        store.settle();
        calls.clear();

        guest.write(DEVICE.frontendPath() + "/state", "1");
        store.settle();

        assertThat(calls).containsExactly("fe:initialise", "be:connect ring-ref=8", "fe:connected");
        assertThat(stateNode(DEVICE.backendPath())).isEqualTo("4");
        assertThat(stateNode(DEVICE.frontendPath())).isEqualTo("4");
    }

    private XenbusFrontend connected()
    {
        startBackend();
        final XenbusFrontend frontend = startFrontend();
        store.settle();
        assertThat(stateNode(DEVICE.backendPath())).isEqualTo("4");
        calls.clear();
        return frontend;
    }

    private XenbusFrontend startFrontend()
    {
        return XenbusFrontend.start(guest, DEVICE.frontendPath(), new XenbusFrontend.Driver()
        {
            @Override
            public Map<String, String> initialise(final XenbusEnd end)
            {
                calls.add("fe:initialise");
                return Map.of("ring-ref", "8", "event-channel", "5");
            }

            @Override
            public void connected(final XenbusEnd end)
            {
                calls.add("fe:connected");
            }

            @Override
            public void disconnected(final XenbusEnd end)
            {
                calls.add("fe:disconnected");
            }
        });
    }

    private XenbusBackend startBackend()
    {
        startedBackend = XenbusBackend.start(store.dom0, DEVICE.backendPath(), new XenbusBackend.Driver()
        {
            @Override
            public boolean connect(final XenbusEnd end)
            {
                calls.add("be:connect ring-ref=" + end.readOther("ring-ref").orElse("?"));
                return backendAccepts;
            }

            @Override
            public void disconnect(final XenbusEnd end)
            {
                calls.add("be:disconnect");
            }
        });
        return startedBackend;
    }

    private String stateNode(final String dir)
    {
        return store.dom0.read(dir + "/state").orElse("(none)");
    }
}
