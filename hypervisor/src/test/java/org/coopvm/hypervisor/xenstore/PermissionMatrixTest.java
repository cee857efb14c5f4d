package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsMessageType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two guests with homes as the toolstack makes them: neither reads, lists, writes, removes or
 * sees watch events of the other's nodes; dom0 does everything.
 */
class PermissionMatrixTest
{
    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    private final XsProbe dom0 = new XsProbe(xenstored, 0);
    private XsProbe one;
    private XsProbe two;

    @BeforeEach
    void homes()
    {
        one = QuotaTest.guestWithHome(xenstored, 1);
        two = QuotaTest.guestWithHome(xenstored, 2);
        one.write("secret", "s1");
        two.write("secret", "s2");
    }

    @Test
    void aGuestCannotTouchAnotherGuestsNodes()
    {
        assertThat(one.read("/local/domain/2/secret")).isEqualTo("ERR:EACCES");
        assertThat(one.text(XsMessageType.DIRECTORY, 0, "/local/domain/2")).isEqualTo("ERR:EACCES");
        assertThat(one.text(XsMessageType.GET_PERMS, 0, "/local/domain/2/secret")).isEqualTo("ERR:EACCES");
        assertThat(one.write("/local/domain/2/secret", "x")).isEqualTo("ERR:EACCES");
        assertThat(one.write("/local/domain/2/new", "x")).isEqualTo("ERR:EACCES");
        assertThat(one.text(XsMessageType.RM, 0, "/local/domain/2/secret")).isEqualTo("ERR:EACCES");
        assertThat(one.text(XsMessageType.SET_PERMS, 0, "/local/domain/2/secret", "b1")).isEqualTo("ERR:EACCES");
        assertThat(one.write("/tool/x", "x")).isEqualTo("ERR:EACCES");
        assertThat(dom0.read("/local/domain/2/secret")).isEqualTo("s2");
    }

    @Test
    void aGuestSeesNoWatchEventsOfAnotherGuestsNodes()
    {
        assertThat(one.text(XsMessageType.WATCH, 0, "/local/domain/2", "spy")).isEqualTo("OK");
        assertThat(one.text(XsMessageType.WATCH, 0, "/", "root")).isEqualTo("OK");
        one.events();
        two.write("secret", "changed");
        two.text(XsMessageType.RM, 0, "secret");
        assertThat(one.events()).isEmpty();
        one.write("mine", "x");
        assertThat(one.events()).containsExactly("/local/domain/1/mine|root");
    }

    @Test
    void onlyTheOwnerChangesPermissionsAndOnlyDom0ChangesTheOwner()
    {
        assertThat(one.call(XsMessageType.GET_PERMS, 0, "secret").strings()).containsExactly("n1", "b1");
        assertThat(one.text(XsMessageType.SET_PERMS, 0, "secret", "n1", "r2")).isEqualTo("OK");
        assertThat(two.read("/local/domain/1/secret")).isEqualTo("s1");
        assertThat(two.write("/local/domain/1/secret", "x")).isEqualTo("ERR:EACCES");
        assertThat(one.text(XsMessageType.SET_PERMS, 0, "secret", "n2")).isEqualTo("ERR:EPERM");
        assertThat(dom0.text(XsMessageType.SET_PERMS, 0, "/local/domain/1/secret", "n2")).isEqualTo("OK");
        assertThat(one.read("secret")).isEqualTo("ERR:EACCES");
    }

    @Test
    void defaultAccessAppliesToUnlistedDomains()
    {
        one.text(XsMessageType.SET_PERMS, 0, "secret", "r1");
        assertThat(two.read("/local/domain/1/secret")).isEqualTo("s1");
        assertThat(new XsProbe(xenstored, 3).read("/local/domain/1/secret")).isEqualTo("s1");
        assertThat(two.write("/local/domain/1/secret", "x")).isEqualTo("ERR:EACCES");
    }
}
